/* jix.c - the index of the journal's backlog, per session (see jix.h). */
#include <stdlib.h>
#include <string.h>
#include "jix.h"
#include "jrec.h"
#include "common/xmem.h"

#define IDX_BUCKETS 16384

/* The backlog in journal order: which session each record was for, so
 * that compaction drops them oldest first without a walk over sessions. */
struct jix_rec {
	uint64_t pos;
	struct jix_ses *s;
};

struct jix {
	struct jix_ses *bucket[IDX_BUCKETS];
	struct jix_rec *q;
	size_t qhead, qlen, qcap;   /* a ring */
	uint64_t done;
};

uint64_t
jix_hash(const char *id)
{
	uint64_t h = 14695981039346656037u;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211u;
	return h ? h : 1;
}

static unsigned
jix_bucket(const char *token)
{
	return (unsigned)(jix_hash(token) % IDX_BUCKETS);
}

struct jix *
jix_new(void)
{
	return xcalloc(1, sizeof(struct jix));
}

static void
jix_ses_free(struct jix_ses *s)
{
	free(s->turn_pos);
	free(s->turn_hash);
	free(s->ids);
	free(s);
}

void
jix_free(struct jix *x)
{
	if (x == NULL)
		return;
	for (size_t b = 0; b < IDX_BUCKETS; b++)
		for (struct jix_ses *s = x->bucket[b], *n; s; s = n) {
			n = s->hnext;
			jix_ses_free(s);
		}
	free(x->q);
	free(x);
}

struct jix_ses *
jix_get(struct jix *x, const char *token, int create)
{
	struct jix_ses **b = &x->bucket[jix_bucket(token)], *s;

	for (s = *b; s; s = s->hnext)
		if (strcmp(s->token, token) == 0)
			return s;
	if (!create)
		return NULL;
	s = xcalloc(1, sizeof *s);
	memcpy(s->token, token, strnlen(token, TOK_LEN));
	s->hnext = *b;
	*b = s;
	return s;
}

/* Free s when nothing holds it: no connection, nothing in the backlog. */
static void
jix_release(struct jix *x, struct jix_ses *s)
{
	if (s->refs > 0 || s->nrec > 0)
		return;
	for (struct jix_ses **pp = &x->bucket[jix_bucket(s->token)]; *pp;
	    pp = &(*pp)->hnext)
		if (*pp == s) {
			*pp = s->hnext;
			break;
		}
	jix_ses_free(s);
}

void
jix_ref(struct jix_ses *s)
{
	s->refs++;
}

void
jix_unref(struct jix *x, struct jix_ses *s)
{
	if (s == NULL)
		return;
	s->refs--;
	jix_release(x, s);
}

static void
jix_ids_put(struct jix_ses *s, uint64_t h)
{
	size_t i;

	if ((s->nids + 1) * 2 > s->ids_cap) {
		uint64_t *old = s->ids;
		size_t oc = s->ids_cap;

		s->ids_cap = oc ? oc * 2 : 16;
		s->ids = xcalloc(s->ids_cap, sizeof *s->ids);
		s->nids = 0;
		for (i = 0; i < oc; i++)
			if (old[i])
				jix_ids_put(s, old[i]);
		free(old);
	}
	for (i = h & (s->ids_cap - 1); s->ids[i]; i = (i + 1) & (s->ids_cap - 1))
		if (s->ids[i] == h)
			return;
	s->ids[i] = h;
	s->nids++;
}

static int
jix_ids_has(const struct jix_ses *s, uint64_t h)
{
	if (s->ids_cap == 0)
		return 0;
	for (size_t i = h & (s->ids_cap - 1); s->ids[i];
	    i = (i + 1) & (s->ids_cap - 1))
		if (s->ids[i] == h)
			return 1;
	return 0;
}

void
jix_add_ids(struct jix_ses *s, const uint64_t *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jix_ids_put(s, h[i]);
}

static void
jix_turn_add(struct jix_ses *s, uint64_t pos, uint64_t h)
{
	if (s->head > 0 && s->head == s->nturns)
		s->head = s->nturns = 0;
	if (s->nturns == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
		s->turn_pos = xrealloc(s->turn_pos, s->cap * sizeof *s->turn_pos);
		s->turn_hash = xrealloc(s->turn_hash,
		    s->cap * sizeof *s->turn_hash);
	}
	s->turn_pos[s->nturns] = pos;
	s->turn_hash[s->nturns++] = h;
}

void
jix_note(struct jix *x, struct jix_ses *s, int type, uint64_t pos,
    const char *id)
{
	if (x->qlen == x->qcap) {
		size_t nc = x->qcap ? x->qcap * 2 : 1024;
		struct jix_rec *q = xmalloc(nc * sizeof *q);

		for (size_t i = 0; i < x->qlen; i++)
			q[i] = x->q[(x->qhead + i) % x->qcap];
		free(x->q);
		x->q = q;
		x->qcap = nc;
		x->qhead = 0;
	}
	x->q[(x->qhead + x->qlen++) % x->qcap] = (struct jix_rec){ pos, s };
	s->nrec++;
	s->hold_pos = pos;
	switch (type) {
	case JREC_TURN:
		jix_ids_put(s, jix_hash(id));
		jix_turn_add(s, pos, jix_hash(id));
		s->slots_pos = pos;
		break;
	case JREC_FORGET:
		/* what it had is deleted with it: nothing to find again */
		s->gone_pos = pos;
		s->head = s->nturns = 0;
		s->nids = 0;
		if (s->ids)
			memset(s->ids, 0, s->ids_cap * sizeof *s->ids);
		s->slots_pos = 0;
		break;
	case JREC_SEEN:
		break;
	default:                /* CREATE, SLOTS, RESET */
		s->slots_pos = pos;
		break;
	}
}

int
jix_seen(struct jix_ses *s, const char *id, uint64_t **cand, size_t *ncand)
{
	uint64_t h = jix_hash(id);
	size_t n = 0;

	*cand = NULL;
	*ncand = 0;
	if (s->complete && !jix_ids_has(s, h))
		return 0;
	for (size_t i = s->head; i < s->nturns; i++)
		if (s->turn_hash[i] == h) {
			*cand = xrealloc(*cand, (n + 1) * sizeof **cand);
			(*cand)[n++] = s->turn_pos[i];
		}
	*ncand = n;
	return 1;
}

size_t
jix_pending(struct jix_ses *s, uint64_t **pos)
{
	size_t n = s->nturns - s->head;

	*pos = n ? xmalloc(n * sizeof **pos) : NULL;
	if (n)
		memcpy(*pos, s->turn_pos + s->head, n * sizeof **pos);
	return n;
}

void
jix_drop(struct jix *x, uint64_t done)
{
	while (x->qlen > 0 && x->q[x->qhead].pos < done) {
		struct jix_rec r = x->q[x->qhead];
		struct jix_ses *s = r.s;

		x->qhead = (x->qhead + 1) % x->qcap;
		x->qlen--;
		while (s->head < s->nturns && s->turn_pos[s->head] < done)
			s->head++;
		if (s->slots_pos < done)
			s->slots_pos = 0;
		if (s->gone_pos < done)
			s->gone_pos = 0;
		s->nrec--;
		jix_release(x, s);
	}
	if (done > x->done)
		x->done = done;
}

size_t
jix_backlog(struct jix *x)
{
	return x->qlen;
}

uint64_t
jix_done(struct jix *x)
{
	return x->done;
}
