/* ans.h - answers composed from the knowledge base's structured fields.
 * Each function appends to the reply's text and records the sources it
 * used; none changes the session. */
#ifndef SLATE_ANS_H
#define SLATE_ANS_H

#include "eng.h"
#include "kb.h"

/* The session's industry (KB_FILM..KB_THEATER) or capacity (KB_FUNDING,
 * KB_CREATIVE), or -1. */
int ans_industry(const struct eng_state *st);
int ans_capacity(const struct eng_state *st);
const char *ans_industry_label(int v);

void ans_definition(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out);
void ans_duties(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out);
/* Only what the session's industry and capacity add; 0 if nothing does. */
int ans_tailored(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out);
void ans_compare(const struct kb *kb, int a, int b, struct eng_reply *out);
/* One sentence saying which of two roles ranks higher. */
void ans_rank(const struct kb *kb, int a, int b, struct eng_reply *out);
/* Answers to, oversees, and the ladder for the widget's diagram. */
void ans_hierarchy(const struct kb *kb, int role, struct eng_reply *out);
void ans_variation(const struct kb_role *r, const struct eng_state *st,
    unsigned industries, int intl, struct eng_reply *out);
void ans_credit(const struct kb_role *r, const struct eng_state *st,
    struct eng_reply *out);
/* Steps along career.next links from where the person is (from, or -1). */
void ans_career(const struct kb *kb, int role, int from,
    struct eng_reply *out);
void ans_pay(const struct kb_role *r, struct eng_reply *out);
/* r may be NULL: which credits are given for money at all. */
void ans_funding(const struct kb *kb, const struct kb_role *r,
    struct eng_reply *out);
void ans_topic(const struct kb *kb, int topic, struct eng_reply *out);

#endif
