/* stop.h - the one list of English stop words: words that say nothing
 * about what a question is about, skipped by the knowledge search and by
 * the grouping of unanswered questions. */
#ifndef SLATE_STOP_H
#define SLATE_STOP_H

/* Is w (lower case, no punctuation) a stop word? */
int stop_is(const char *w);

#endif
