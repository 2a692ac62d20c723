/* stop.c - the stop word list, sorted so a lookup is a binary search. */
#include <stdlib.h>
#include <string.h>
#include "stop.h"

static const char *const stop_words[] = {
	"a", "about", "an", "and", "any", "are", "be", "can", "did",
	"do", "does", "for", "from", "get", "had", "has", "have", "her", "his",
	"how", "i", "im", "in", "into", "is", "it", "its", "just", "like",
	"me", "mean", "more", "my", "not", "of", "on", "one", "or", "our",
	"out", "s", "should", "some", "tell", "than", "that", "the",
	"their", "them", "then", "there", "they", "this", "to", "was", "what",
	"when", "where", "which", "who", "why", "will",
	"with", "would", "you", "your"
};

static int
stop_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

int
stop_is(const char *w)
{
	return bsearch(w, stop_words, sizeof stop_words / sizeof stop_words[0],
	    sizeof stop_words[0], stop_cmp) != NULL;
}
