/*
 * The fiber loops (fiber.h): one thread per loop runs its fibers in turn
 * (ucontext), and sleeps in epoll_wait when none can run. A fiber waiting
 * on a socket has it registered one-shot, keyed by descriptor, and left
 * registered after the wait: the next wait on the same descriptor re-arms
 * it with one epoll_ctl (MOD, or ADD when the descriptor was closed and its
 * number reused); an event for a descriptor nobody waits on is dropped.
 * Descriptors waited on must not be dup()ed (epoll keys on the open file).
 * Wake-ups and new fibers from other threads come in through a mutex and
 * an eventfd.
 */
#include "checks/fiber.h"

#ifdef __linux__

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "checks/deadline.h"
#include "checks/platform.h"

#if defined(__SANITIZE_ADDRESS__)
#define MP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MP_ASAN 1
#endif
#endif

#ifdef MP_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
				     size_t *size_old);
#define STACK_SCALE 4 /* ASan's redzones make frames larger */
#else
#define STACK_SCALE 1
#endif

#define STACKS_KEPT 32 /* per loop, for reuse: a stack's touched pages stay */
#define EVENTS_MAX 64

enum fstate {
	F_NEW,     /* queued, never run */
	F_READY,   /* in the ready queue */
	F_RUNNING, /* the loop's current fiber */
	F_FD,      /* waiting on a descriptor (and maybe a time) */
	F_PARKED,  /* waiting for a wake (and maybe a time) */
	F_DONE
};

struct mp_fiber {
	struct mp_loop *loop;
	ucontext_t ctx;
	unsigned char *stack; /* mmap'd, a guard page at its low end */
	void (*fn)(void *);
	void *arg;
	enum fstate state; /* F_PARKED/F_READY changes under loop->mu */
	double until;      /* mp_now() time the wait ends, or < 0 */
	int fd;
	short revents;
	bool timed_out;
	bool woken;    /* a wake is pending (loop->mu) */
	bool in_wakeq; /* (loop->mu) */
	struct mp_fiber *next, *prev;
	struct mp_fiber *wake_next;
	void *asan_fake;
};

struct mp_loop {
	pthread_t tid;
	int ep, evfd;
	size_t stack_size;
	pthread_mutex_t mu;        /* incoming, wakeq, stopping */
	struct mp_fiber *incoming; /* spawned from any thread, newest first */
	struct mp_fiber *wakeq;
	bool stopping;
	atomic_int nfibers;
	/* the loop thread's own */
	struct mp_fiber *ready_head, *ready_tail;
	struct mp_fiber *waiting; /* F_FD and F_PARKED, doubly linked */
	struct mp_fiber **by_fd;
	int nby_fd;
	ucontext_t sched;
	const void *sched_bottom;
	size_t sched_size;
	void *sched_fake;
	unsigned char *kept[STACKS_KEPT];
	int nkept;
};

static _Thread_local struct mp_fiber *current;

struct mp_fiber *
mp_fiber_self(void)
{
	return current;
}

static size_t
stack_total(const struct mp_loop *l)
{
	return l->stack_size + mp_page_size();
}

/* stack_get and stack_put: under l->mu. */
static unsigned char *
stack_get(struct mp_loop *l)
{
	unsigned char *s;

	if (l->nkept > 0)
		return l->kept[--l->nkept];
	s = mmap(NULL, stack_total(l), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (s == MAP_FAILED)
		return NULL;
	if (mprotect(s, mp_page_size(), PROT_NONE) != 0) { /* the guard */
		munmap(s, stack_total(l));
		return NULL;
	}
	return s;
}

static void
stack_put(struct mp_loop *l, unsigned char *s)
{
	if (l->nkept < STACKS_KEPT)
		l->kept[l->nkept++] = s;
	else
		munmap(s, stack_total(l));
}

/* --- switching --- */

static void
asan_start(void **save, const void *bottom, size_t size)
{
#ifdef MP_ASAN
	__sanitizer_start_switch_fiber(save, bottom, size);
#else
	(void)save, (void)bottom, (void)size;
#endif
}

static void
asan_finish(void *save, const void **bottom, size_t *size)
{
#ifdef MP_ASAN
	__sanitizer_finish_switch_fiber(save, bottom, size);
#else
	(void)save, (void)bottom, (void)size;
#endif
}

/* From the running fiber back to its loop. */
static void
to_loop(struct mp_fiber *f)
{
	struct mp_loop *l = f->loop;

	asan_start(f->state == F_DONE ? NULL : &f->asan_fake, l->sched_bottom, l->sched_size);
	swapcontext(&f->ctx, &l->sched);
	asan_finish(f->asan_fake, &l->sched_bottom, &l->sched_size);
}

static void
fiber_main(void)
{
	struct mp_fiber *f = current;

	asan_finish(NULL, &f->loop->sched_bottom, &f->loop->sched_size);
	f->fn(f->arg);
	f->state = F_DONE;
	to_loop(f);
}

static void
fiber_free(struct mp_loop *l, struct mp_fiber *f)
{
	pthread_mutex_lock(&l->mu);
	if (f->in_wakeq) {
		struct mp_fiber **pp = &l->wakeq;

		while (*pp != f)
			pp = &(*pp)->wake_next;
		*pp = f->wake_next;
	}
	stack_put(l, f->stack); /* the kept stacks: under l->mu, spawners take them */
	pthread_mutex_unlock(&l->mu);
	free(f);
	atomic_fetch_sub(&l->nfibers, 1);
}

/* Runs f until it waits or ends. */
static void
run(struct mp_loop *l, struct mp_fiber *f)
{
	if (f->state == F_NEW) {
		getcontext(&f->ctx);
		f->ctx.uc_stack.ss_sp = f->stack + mp_page_size();
		f->ctx.uc_stack.ss_size = l->stack_size;
		f->ctx.uc_link = NULL;
		makecontext(&f->ctx, fiber_main, 0);
	}
	f->state = F_RUNNING;
	current = f;
	asan_start(&l->sched_fake, f->stack + mp_page_size(), l->stack_size);
	swapcontext(&l->sched, &f->ctx);
	asan_finish(l->sched_fake, NULL, NULL);
	current = NULL;
	if (f->state == F_DONE)
		fiber_free(l, f);
}

/* --- the loop's queues (loop thread) --- */

static void
ready_push(struct mp_loop *l, struct mp_fiber *f)
{
	f->next = NULL;
	if (l->ready_tail != NULL)
		l->ready_tail->next = f;
	else
		l->ready_head = f;
	l->ready_tail = f;
}

static void
waiting_add(struct mp_loop *l, struct mp_fiber *f)
{
	f->prev = NULL;
	f->next = l->waiting;
	if (l->waiting != NULL)
		l->waiting->prev = f;
	l->waiting = f;
}

static void
waiting_del(struct mp_loop *l, struct mp_fiber *f)
{
	if (f->prev != NULL)
		f->prev->next = f->next;
	else
		l->waiting = f->next;
	if (f->next != NULL)
		f->next->prev = f->prev;
}

/* A waiting fiber becomes ready (the wait's end recorded by the caller). */
static void
make_ready(struct mp_loop *l, struct mp_fiber *f)
{
	waiting_del(l, f);
	if (f->state == F_FD && f->fd >= 0 && f->fd < l->nby_fd && l->by_fd[f->fd] == f)
		l->by_fd[f->fd] = NULL;
	f->state = F_READY;
	ready_push(l, f);
}

/* New fibers and wake-ups from the mutex-guarded side. */
static void
take_incoming(struct mp_loop *l)
{
	struct mp_fiber *in, *f, *rev = NULL;

	pthread_mutex_lock(&l->mu);
	in = l->incoming;
	l->incoming = NULL;
	while ((f = l->wakeq) != NULL) {
		l->wakeq = f->wake_next;
		f->in_wakeq = false;
		if (f->state == F_PARKED) {
			f->woken = false;
			make_ready(l, f);
		}
	}
	pthread_mutex_unlock(&l->mu);
	for (; in != NULL; in = f) { /* oldest first */
		f = in->next;
		in->next = rev;
		rev = in;
	}
	for (; rev != NULL; rev = f) {
		f = rev->next;
		ready_push(l, rev);
	}
}

/* Whether new fibers or wake-ups came in (from this loop's own fibers too,
 * which do not kick it). */
static bool
pending(struct mp_loop *l)
{
	bool any;

	pthread_mutex_lock(&l->mu);
	any = l->incoming != NULL || l->wakeq != NULL;
	pthread_mutex_unlock(&l->mu);
	return any;
}

static int
epoll_timeout(struct mp_loop *l)
{
	double first = -1, now = mp_now();

	if (l->ready_head != NULL || pending(l))
		return 0;
	for (struct mp_fiber *f = l->waiting; f != NULL; f = f->next)
		if (f->until >= 0 && (first < 0 || f->until < first))
			first = f->until;
	if (first < 0)
		return -1;
	if (first <= now)
		return 0;
	first = ceil((first - now) * 1000.0);
	return first > 86400000.0 ? 86400000 : (int)first;
}

static short
poll_events(uint32_t ev)
{
	return (short)(((ev & EPOLLIN) ? POLLIN : 0) | ((ev & EPOLLOUT) ? POLLOUT : 0) |
		       ((ev & EPOLLERR) ? POLLERR : 0) | ((ev & EPOLLHUP) ? POLLHUP : 0) |
		       ((ev & EPOLLPRI) ? POLLPRI : 0));
}

static void
expire(struct mp_loop *l)
{
	double now = mp_now();
	struct mp_fiber *f = l->waiting, *next;

	for (; f != NULL; f = next) {
		next = f->next;
		if (f->until < 0 || f->until > now)
			continue;
		if (f->state == F_PARKED) {
			pthread_mutex_lock(&l->mu);
			f->timed_out = true;
			make_ready(l, f);
			pthread_mutex_unlock(&l->mu);
		} else {
			f->timed_out = true;
			make_ready(l, f);
		}
	}
}

static void
wait_events(struct mp_loop *l)
{
	struct epoll_event ev[EVENTS_MAX];
	int n = epoll_wait(l->ep, ev, EVENTS_MAX, epoll_timeout(l));

	for (int i = 0; i < n; i++) {
		int fd = ev[i].data.fd;
		struct mp_fiber *f;

		if (fd == l->evfd) {
			uint64_t v;

			(void)!read(l->evfd, &v, sizeof(v));
			continue;
		}
		if (fd < 0 || fd >= l->nby_fd || (f = l->by_fd[fd]) == NULL)
			continue; /* nobody waits on it any more */
		f->revents = poll_events(ev[i].events);
		make_ready(l, f);
	}
	expire(l);
}

static bool
loop_done(struct mp_loop *l)
{
	bool done;

	pthread_mutex_lock(&l->mu);
	done = l->stopping && atomic_load(&l->nfibers) == 0;
	pthread_mutex_unlock(&l->mu);
	return done;
}

static void *
loop_main(void *arg)
{
	struct mp_loop *l = arg;
	struct mp_fiber *f;

	for (;;) {
		take_incoming(l);
		while ((f = l->ready_head) != NULL) {
			if ((l->ready_head = f->next) == NULL)
				l->ready_tail = NULL;
			run(l, f);
		}
		if (loop_done(l))
			break;
		wait_events(l);
	}
	return NULL;
}

static void
kick(struct mp_loop *l)
{
	uint64_t one = 1;

	(void)!write(l->evfd, &one, sizeof(one));
}

/* --- the loop's public side --- */

struct mp_loop *
mp_loop_new(size_t stack_size)
{
	struct mp_loop *l = calloc(1, sizeof(*l));
	struct epoll_event ev = {.events = EPOLLIN};
	size_t page = mp_page_size();

	if (l == NULL)
		return NULL;
	l->stack_size = (stack_size * STACK_SCALE + page - 1) / page * page;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	l->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ev.data.fd = l->evfd;
	pthread_mutex_init(&l->mu, NULL);
	if (l->ep < 0 || l->evfd < 0 || epoll_ctl(l->ep, EPOLL_CTL_ADD, l->evfd, &ev) != 0 ||
	    pthread_create(&l->tid, NULL, loop_main, l) != 0) {
		if (l->ep >= 0)
			close(l->ep);
		if (l->evfd >= 0)
			close(l->evfd);
		pthread_mutex_destroy(&l->mu);
		free(l);
		return NULL;
	}
	return l;
}

/* A fiber for l, its stack taken under l->mu (the kept stacks are the
 * loop's); NULL when out of memory. */
static struct mp_fiber *
fiber_new(struct mp_loop *l, void (*fn)(void *), void *arg)
{
	struct mp_fiber *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return NULL;
	*f = (struct mp_fiber){.loop = l, .fn = fn, .arg = arg, .state = F_NEW, .fd = -1};
	if ((f->stack = stack_get(l)) == NULL) {
		free(f);
		return NULL;
	}
	return f;
}

int
mp_loop_spawn(struct mp_loop *l, void (*fn)(void *), void *arg)
{
	struct mp_fiber *f;

	pthread_mutex_lock(&l->mu);
	if (l->stopping || (f = fiber_new(l, fn, arg)) == NULL) {
		pthread_mutex_unlock(&l->mu);
		return -1;
	}
	atomic_fetch_add(&l->nfibers, 1);
	f->next = l->incoming;
	l->incoming = f;
	if (current == NULL || current->loop != l)
		kick(l);
	pthread_mutex_unlock(&l->mu);
	return 0;
}

int
mp_loop_fibers(struct mp_loop *l)
{
	return atomic_load(&l->nfibers);
}

void
mp_loop_free(struct mp_loop *l)
{
	if (l == NULL)
		return;
	pthread_mutex_lock(&l->mu);
	l->stopping = true;
	pthread_mutex_unlock(&l->mu);
	kick(l);
	pthread_join(l->tid, NULL);
	while (l->nkept > 0)
		munmap(l->kept[--l->nkept], stack_total(l));
	free(l->by_fd);
	close(l->ep);
	close(l->evfd);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

/* --- waits, on a fiber --- */

static bool
by_fd_room(struct mp_loop *l, int fd)
{
	int n = l->nby_fd > 0 ? l->nby_fd : 64;
	struct mp_fiber **p;

	if (fd < l->nby_fd)
		return true;
	while (n <= fd)
		n *= 2;
	if ((p = realloc(l->by_fd, (size_t)n * sizeof(*p))) == NULL)
		return false;
	memset(p + l->nby_fd, 0, (size_t)(n - l->nby_fd) * sizeof(*p));
	l->by_fd = p;
	l->nby_fd = n;
	return true;
}

/* Arms fd one-shot for events; false when epoll cannot take it. */
static bool
arm(struct mp_loop *l, int fd, short events)
{
	struct epoll_event ev = {.events = EPOLLONESHOT | ((events & POLLIN) ? EPOLLIN : 0u) |
					   ((events & POLLOUT) ? EPOLLOUT : 0u) |
					   ((events & POLLPRI) ? EPOLLPRI : 0u)};

	ev.data.fd = fd;
	if (!by_fd_room(l, fd) || l->by_fd[fd] != NULL)
		return false;
	if (epoll_ctl(l->ep, EPOLL_CTL_MOD, fd, &ev) == 0)
		return true;
	return errno == ENOENT && epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev) == 0;
}

int
mp_fiber_poll(int fd, short events, short *revents, int ms)
{
	struct mp_fiber *f = current;
	struct mp_loop *l;
	struct pollfd pfd = {.fd = fd, .events = events};
	int rc;

	if (f == NULL || fd < 0 || ms == 0 || !arm(f->loop, fd, events)) { /* as a thread would */
		rc = poll(&pfd, 1, ms);
		*revents = pfd.revents;
		return rc;
	}
	l = f->loop;
	l->by_fd[fd] = f;
	f->fd = fd;
	f->revents = 0;
	f->timed_out = false;
	f->until = ms < 0 ? -1 : mp_now() + ms / 1000.0;
	f->state = F_FD;
	waiting_add(l, f);
	to_loop(f);
	f->fd = -1;
	*revents = f->revents;
	return f->timed_out ? 0 : 1;
}

static double
mono_seconds(const struct timespec *at)
{
	return (double)at->tv_sec + (double)at->tv_nsec / 1e9;
}

void
mp_fiber_park(const struct timespec *at)
{
	struct mp_fiber *f = current;
	struct mp_loop *l = f->loop;

	pthread_mutex_lock(&l->mu);
	if (f->woken) {
		f->woken = false;
		pthread_mutex_unlock(&l->mu);
		return;
	}
	f->state = F_PARKED;
	f->until = at != NULL ? mono_seconds(at) : -1;
	f->timed_out = false;
	waiting_add(l, f);
	pthread_mutex_unlock(&l->mu);
	to_loop(f);
}

void
mp_fiber_wake(struct mp_fiber *f)
{
	struct mp_loop *l = f->loop;
	bool own = current != NULL && current->loop == l;

	pthread_mutex_lock(&l->mu);
	f->woken = true;
	if (!f->in_wakeq) {
		f->in_wakeq = true;
		f->wake_next = l->wakeq;
		l->wakeq = f;
	}
	if (!own) /* under the lock: l outlives it (mp_loop_free takes it) */
		kick(l);
	pthread_mutex_unlock(&l->mu);
}

int
mp_fiber_spawn(void (*fn)(void *), void *arg)
{
	return current != NULL ? mp_loop_spawn(current->loop, fn, arg) : -1;
}

#else /* no fibers: everything runs on threads */

struct mp_loop *
mp_loop_new(size_t stack_size)
{
	(void)stack_size;
	return NULL;
}

int
mp_loop_spawn(struct mp_loop *l, void (*fn)(void *), void *arg)
{
	(void)l, (void)fn, (void)arg;
	return -1;
}

int
mp_loop_fibers(struct mp_loop *l)
{
	(void)l;
	return 0;
}

void
mp_loop_free(struct mp_loop *l)
{
	(void)l;
}

struct mp_fiber *
mp_fiber_self(void)
{
	return NULL;
}

int
mp_fiber_poll(int fd, short events, short *revents, int ms)
{
	(void)fd, (void)events, (void)ms;
	*revents = 0;
	return -1;
}

void
mp_fiber_park(const struct timespec *at)
{
	(void)at;
}

void
mp_fiber_wake(struct mp_fiber *f)
{
	(void)f;
}

int
mp_fiber_spawn(void (*fn)(void *), void *arg)
{
	(void)fn, (void)arg;
	return -1;
}

#endif
