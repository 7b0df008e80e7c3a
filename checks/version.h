/*
 * The mailprobe version, shown by --version and in build info metrics.
 */
#ifndef MAILPROBE_VERSION_H
#define MAILPROBE_VERSION_H

#define MAILPROBE_VERSION "0.1.0"

#endif
