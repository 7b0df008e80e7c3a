/*
 * Unit tests of the exporter's web guards: which hash a basic-auth user
 * name is checked against (an unknown name costs what a known one does),
 * client keys (IPv4, mapped, IPv6 /64), the per-client connection table
 * and the web.max_connections keys of the config.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "exporter/clients.h"
#include "exporter/http.h"
#include "harness.h"

#define H5 "$2b$05$abcdefghijklmnopqrstuuQxTh5N2Vb1qoJ6FwURn1Sd5vB3nZc0G"
#define H12 "$2b$12$abcdefghijklmnopqrstuuQxTh5N2Vb1qoJ6FwURn1Sd5vB3nZc0G"

static struct config *
load(const char *text, struct cfg_report *rep)
{
	return config_load_text(text, "web.json", "/nonexistent", rep);
}

static void
test_auth_hash(void)
{
	struct cfg_report rep;
	struct config *c =
	    load("{\"web\": {\"basic_auth_users\": {\"prom\": \"" H5 "\", \"ops\": \"" H12 "\"}}}",
		 &rep);
	bool known = true;
	const char *h;

	CHECK(c != NULL, "config with two users loads");
	if (c == NULL)
		return;
	h = auth_hash_for(c, "ops", &known);
	CHECK(known && h != NULL && strcmp(h, H12) == 0, "a known user: its own hash");
	h = auth_hash_for(c, "eve", &known);
	CHECK(!known && h != NULL && strncmp(h, "$2b$05$", 7) == 0,
	      "an unknown user: a configured hash, same algorithm and cost as a known one");
	h = auth_hash_for(c, "", &known);
	CHECK(!known && h != NULL, "an empty user name: still a full check");
	config_put(c);
	c = load("{\"targets\": []}", &rep);
	CHECK(c != NULL && auth_hash_for(c, "prom", &known) == NULL && !known, "no users: no hash");
	config_put(c);
}

static void
key_v4(const char *s, struct client_key *k)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};

	inet_pton(AF_INET, s, &sin.sin_addr);
	client_key_of((struct sockaddr *)&sin, k);
}

static void
key_v6(const char *s, struct client_key *k)
{
	struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};

	inet_pton(AF_INET6, s, &sin6.sin6_addr);
	client_key_of((struct sockaddr *)&sin6, k);
}

static void
test_client_keys(void)
{
	struct client_key a, b;
	char s[64];

	key_v4("127.0.0.1", &a);
	key_v6("::ffff:127.0.0.1", &b);
	CHECK(client_key_eq(&a, &b), "IPv4 and its mapped form are one client");
	client_key_str(&a, s, sizeof(s));
	CHECK_STR(s, "127.0.0.1", "IPv4 key spelled");
	key_v4("127.0.0.2", &b);
	CHECK(!client_key_eq(&a, &b), "another IPv4 address is another client");
	key_v6("2001:db8:1:2::1", &a);
	key_v6("2001:db8:1:2:ffff:eeee:dddd:cccc", &b);
	CHECK(client_key_eq(&a, &b), "one IPv6 /64 is one client");
	client_key_str(&a, s, sizeof(s));
	CHECK_STR(s, "2001:db8:1:2::/64", "IPv6 key spelled as its /64");
	key_v6("2001:db8:1:3::1", &b);
	CHECK(!client_key_eq(&a, &b), "another /64 is another client");
	client_key_of(NULL, &b);
	CHECK(b.len == 0, "no address: an empty key");
}

static void
test_client_table(void)
{
	struct client_table *t = clients_new(2);
	struct client_key a, b, c;

	key_v4("192.0.2.1", &a);
	key_v4("192.0.2.2", &b);
	key_v4("192.0.2.3", &c);
	CHECK(t != NULL, "table made");
	if (t == NULL)
		return;
	CHECK(clients_opened(t, &a) == 0 && clients_opened(t, &a) == 0 &&
		  clients_opened(t, &b) == 0,
	      "connections counted");
	CHECK(clients_count(t, &a) == 2 && clients_count(t, &b) == 1 && clients_count(t, &c) == 0,
	      "counts per client");
	CHECK(clients_opened(t, &c) == -1, "a full table says so");
	clients_closed(t, &b);
	CHECK(clients_count(t, &b) == 0 && clients_opened(t, &c) == 0,
	      "a closed client's row is reused");
	clients_closed(t, &a);
	clients_closed(t, &a);
	clients_closed(t, &a); /* one too many: no harm */
	CHECK(clients_count(t, &a) == 0 && clients_count(t, &c) == 1, "counts after closing");
	clients_free(t);
}

static void
test_config_keys(void)
{
	struct cfg_report rep;
	struct config *c = load("{\"targets\": []}", &rep);

	CHECK(c != NULL && c->max_connections == 1024 && c->max_connections_per_client == 128,
	      "defaults: 1024 connections, 128 per client");
	config_put(c);
	c = load("{\"web\": {\"max_connections\": 100}}", &rep);
	CHECK(c != NULL && c->max_connections_per_client == 50,
	      "a small max_connections: the per-client default is half of it");
	config_put(c);
	c = load("{\"web\": {\"max_connections\": 100, \"max_connections_per_client\": 60}}", &rep);
	CHECK(c == NULL && strstr(rep.error, "web.max_connections_per_client") != NULL,
	      "one client may not take more than half: an error naming the key");
	config_put(c);
	c = load("{\"web\": {\"max_connections\": 8}}", &rep);
	CHECK(c == NULL && strstr(rep.error, "web.max_connections") != NULL, "too small: error");
	config_put(c);
}

int
main(void)
{
	test_auth_hash();
	test_client_keys();
	test_client_table();
	test_config_keys();
	return test_report();
}
