/* jrec.h - one journal record: what a turn, a new session, a reset, a
 * resume, a forget or a purge changes, framed so that a torn or damaged
 * record is recognised.  On disk: a 4-byte payload length, a 4-byte
 * CRC-32C of the payload, then the payload (type, flags, timestamp and
 * five length-prefixed, NUL-terminated strings, any of them absent). */
#ifndef SLATE_JREC_H
#define SLATE_JREC_H

#include <stddef.h>
#include <stdint.h>

#define JREC_HDR 8
#define JREC_MAX (256u << 10)   /* a payload longer than this is damage */

enum jrec_type {
	JREC_CREATE = 1,  /* a new session: token, slots */
	JREC_TURN,        /* a question and its answer: all five strings */
	JREC_SLOTS,       /* --no-transcripts turn: slots, user if fallback */
	JREC_RESET,       /* new slots for a session */
	JREC_SEEN,        /* a resume: the session is in use */
	JREC_FORGET,      /* delete a session and its transcript */
	JREC_PURGE        /* delete sessions not seen since ts */
};

struct jrec {
	int type;
	int fallback;          /* TURN, SLOTS: record as unanswered */
	int64_t ts;            /* ms since the epoch; PURGE: the cut */
	const char *token;
	const char *id;
	const char *user;
	const char *body;      /* the reply's members, without braces */
	const char *slots;     /* eng_state JSON */
};

/* Bytes r takes on disk, header included. */
size_t jrec_size(const struct jrec *r);
/* Write r into buf (jrec_size(r) bytes); returns that size. */
size_t jrec_encode(const struct jrec *r, char *buf);
/* Read the record at buf (avail bytes).  1: r points into buf, *used is
 * its size; 0: avail ends inside it (a torn tail, or not yet written);
 * -1: damaged (length out of range, checksum or fields wrong). */
int jrec_decode(const char *buf, size_t avail, struct jrec *r,
    size_t *used);
uint32_t jrec_crc(const void *p, size_t n);

#endif
