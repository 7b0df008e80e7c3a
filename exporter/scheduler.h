/*
 * Scheduled probing: one thread that hands due targets to the scheduler
 * pool (each target at most once in flight, so a blackholed target holds
 * one worker for one timeout and delays nobody else) and stores results.
 */
#ifndef MAILPROBE_EXPORTER_SCHEDULER_H
#define MAILPROBE_EXPORTER_SCHEDULER_H

#include "exporter/state.h"

struct scheduler;

struct scheduler *scheduler_start(struct state *st);
/* Stops handing out targets and joins the thread (jobs already given to
 * the pool finish there). */
void scheduler_stop(struct scheduler *s);

#endif
