/* say.h - every sentence the engine writes: answers composed from the
 * knowledge base's structured fields, and the dialogue's own sentences
 * (follow-up questions, clarifications, smalltalk, fallbacks, the welcome,
 * suggested questions).  Each function appends to the reply's text,
 * options, suggestions and sources; none changes the session. */
#ifndef SLATE_SAY_H
#define SLATE_SAY_H

#include "idx.h"
#include "kb.h"
#include "plan.h"
#include "val.h"

/* Answers; intl: the question is about an international co-production. */
void say_definition(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out);
void say_duties(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out);
/* Only what the session's industry and capacity add; 0 if nothing does
 * (then nothing is written). */
int say_tailored(const struct kb_role *r, const struct eng_state *st,
    int intl, struct eng_reply *out);
void say_compare(const struct kb *kb, int a, int b, struct eng_reply *out);
/* One sentence saying which of two roles ranks higher. */
void say_rank(const struct kb *kb, int a, int b, struct eng_reply *out);
/* Answers to, oversees, and the ladder for the widget's diagram. */
void say_hierarchy(const struct kb *kb, int role, struct eng_reply *out);
void say_variation(const struct kb_role *r, const struct eng_state *st,
    unsigned industries, int intl, struct eng_reply *out);
void say_credit(const struct kb_role *r, const struct eng_state *st,
    struct eng_reply *out);
/* Steps along career.next links from where the person is (from, or -1). */
void say_career(const struct kb *kb, int role, int from,
    struct eng_reply *out);
void say_pay(const struct kb_role *r, struct eng_reply *out);
/* Step k (0-based) of a career plan, industry (-1: any) choosing the
 * first-job advice; with a "next step" option unless it is the last. */
void say_plan_step(const struct kb *kb, const struct plan *pl, int k,
    int industry, struct eng_reply *out);
/* "I'm a PA": where that puts the person in the plan, before its step. */
void say_plan_start(const struct kb *kb, const struct plan *pl,
    struct eng_reply *out);
/* r may be NULL: which credits are given for money at all. */
void say_funding(const struct kb *kb, const struct kb_role *r,
    struct eng_reply *out);
void say_topic(const struct kb *kb, int topic, struct eng_reply *out);

/* The dialogue's sentences. */
void say_corrections(const struct eng_corr *corr, int n,
    struct eng_reply *out);
void say_ask_industry(const struct kb_role *r, struct eng_reply *out);
void say_ask_capacity(const struct kb_role *r, struct eng_reply *out);
void say_ask_from(const struct kb *kb, const struct kb_role *r,
    struct eng_reply *out);
void say_ask_role(int intent, struct eng_reply *out);
/* role -1: the questions a new conversation might start with. */
void say_suggestions(const struct kb *kb, int role, int intent,
    struct eng_reply *out);
void say_fallback(const struct kb *kb, int offtopic,
    const struct idx_hit *hits, int n, struct eng_reply *out);
void say_smalltalk(int intent, struct eng_reply *out);
void say_welcome(const struct kb *kb, int role, struct eng_reply *out);

#endif
