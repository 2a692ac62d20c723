/* grp.h - questions grouped by similarity, for the knowledge author's
 * inbox: two questions are alike when most of the content words (lower
 * case, no stop words, lightly stemmed) of the shorter one are in the
 * other.  Questions are added newest first; each joins the most similar
 * group, compared with the group's newest question and the other wordings
 * kept with it, or starts a group of its own. */
#ifndef SLATE_GRP_H
#define SLATE_GRP_H

#define GRP_WORDS 24        /* content words kept per question */
#define GRP_VARIANTS 3      /* other wordings kept per group */

struct grp_q {
	long long ts;
	char *text;
	char words[GRP_WORDS][24];
	int nwords;
};

struct grp_group {
	int first;                /* index of the newest question */
	int count;
	int variants[GRP_VARIANTS];
	int nvariants;
};

struct grp {
	struct grp_q *qs;
	struct grp_group *gs;
	int nq, ng, cap;
};

/* Room for cap questions. */
void grp_init(struct grp *g, int cap);
/* Add a question (copied); its group's index, or -1 when g is full. */
int grp_add(struct grp *g, long long ts, const char *text);
void grp_free(struct grp *g);

#endif
