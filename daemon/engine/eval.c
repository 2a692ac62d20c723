/* eval.c - conversation tests: scripted turns with expectations. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "eval.h"
#include "common/xmem.h"

#define EVAL_WHY 512

static const char *
slot_value(const struct eng_state *st, const char *name)
{
	if (strcmp(name, "role") == 0) return st->role;
	if (strcmp(name, "other_role") == 0) return st->other_role;
	if (strcmp(name, "from_role") == 0) return st->from_role;
	if (strcmp(name, "industry") == 0) return st->industry;
	if (strcmp(name, "capacity") == 0) return st->capacity;
	return NULL;
}

static int
has_option(const struct eng_reply *r, const char *value)
{
	int i;

	for (i = 0; i < r->noptions; i++)
		if (strcmp(r->options[i].value, value) == 0)
			return 1;
	return 0;
}

/* Each expectation of a turn is checked by one function: 1 when it holds
 * (or the turn does not state it), else 0 with the miss described. */
typedef int eval_check(const json_t *t, const struct eng_reply *r,
    char *why);

static int
eval_intent(const json_t *t, const struct eng_reply *r, char *why)
{
	json_t *v = json_object_get(t, "intent");
	const char *want;

	if (v == NULL)
		return 1;
	want = json_is_string(v) ? json_string_value(v) : NULL;
	if ((want == NULL) == (r->intent == NULL) &&
	    (want == NULL || strcmp(want, r->intent) == 0))
		return 1;
	snprintf(why, EVAL_WHY, "intent: want %s, got %s", want ? want : "null",
	    r->intent ? r->intent : "null");
	return 0;
}

static int
eval_kind(const json_t *t, const struct eng_reply *r, char *why)
{
	json_t *v = json_object_get(t, "kind");

	if (v == NULL || (json_is_string(v) && strcmp(json_string_value(v),
	    eng_kind_name(r->kind)) == 0))
		return 1;
	snprintf(why, EVAL_WHY, "kind: want %s, got %s",
	    json_is_string(v) ? json_string_value(v) : "?",
	    eng_kind_name(r->kind));
	return 0;
}

static int
eval_slots(const json_t *t, const struct eng_reply *r, char *why)
{
	const char *key, *got;
	json_t *x;

	json_object_foreach((json_t *)json_object_get(t, "slots"), key, x) {
		const char *want = json_is_string(x) ? json_string_value(x) :
		    "";

		got = slot_value(&r->slots, key);
		if (got == NULL || strcmp(got, want) != 0) {
			snprintf(why, EVAL_WHY, "slot %s: want %s, got %s",
			    key, want[0] ? want : "null", got && got[0] ? got :
			    "null");
			return 0;
		}
	}
	return 1;
}

/* "contains" (has 0) or "not_contains" (has 1): case-insensitive
 * substrings of the reply's text. */
static int
eval_substrings(const json_t *t, const struct eng_reply *r, char *why,
    const char *key, int has)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(t, key), i, x)
		if (json_is_string(x) && (strcasestr(r->text,
		    json_string_value(x)) != NULL) == has) {
			snprintf(why, EVAL_WHY, "text %s \"%s\"", has ? "has" :
			    "lacks", json_string_value(x));
			return 0;
		}
	return 1;
}

static int
eval_contains(const json_t *t, const struct eng_reply *r, char *why)
{
	return eval_substrings(t, r, why, "contains", 0) &&
	    eval_substrings(t, r, why, "not_contains", 1);
}

static int
eval_options(const json_t *t, const struct eng_reply *r, char *why)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(t, "options"), i, x)
		if (json_is_string(x) && !has_option(r, json_string_value(x))) {
			snprintf(why, EVAL_WHY, "option %s not offered",
			    json_string_value(x));
			return 0;
		}
	if (json_is_true(json_object_get(t, "no_options")) &&
	    r->noptions > 0) {
		snprintf(why, EVAL_WHY, "offered %d options, want none",
		    r->noptions);
		return 0;
	}
	return 1;
}

static int
eval_facts(const json_t *t, const struct eng_reply *r, char *why)
{
	const json_t *g = score_missing_fact(t, r->text);
	char *alts;

	if (g == NULL)
		return 1;
	alts = json_dumps(g, JSON_COMPACT);
	snprintf(why, EVAL_WHY, "text lacks every one of %.400s",
	    alts ? alts : "a fact group");
	free(alts);
	return 0;
}

static int
eval_corrected(const json_t *t, const struct eng_reply *r, char *why)
{
	json_t *v = json_object_get(t, "corrected");
	const char *want;
	int k;

	if (v == NULL || !json_is_string(v))
		return 1;
	want = json_string_value(v);
	for (k = 0; k < r->ncorrections; k++)
		if (strcasecmp(r->corrections[k].from, want) == 0 ||
		    strcasestr(want, r->corrections[k].from) != NULL)
			return 1;
	snprintf(why, EVAL_WHY, "no correction of \"%s\"", want);
	return 0;
}

/* In the order a failure is reported: the first miss is described. */
static eval_check *const eval_checks[] = {
	eval_intent, eval_kind, eval_slots, eval_contains, eval_options,
	eval_facts, eval_corrected
};

static int
check_turn(const json_t *t, const struct eng_reply *r, char *why)
{
	size_t i;

	for (i = 0; i < sizeof eval_checks / sizeof eval_checks[0]; i++)
		if (!eval_checks[i](t, r, why))
			return 0;
	return 1;
}

static void
run_case(struct eng *e, const json_t *c, const char *path, int line,
    FILE *out, struct eval_result *res)
{
	/* on the heap, not static: slated runs this on its reload thread */
	struct eng_reply *r = xmalloc(sizeof *r);
	struct eng_state st;
	json_t *turns = json_object_get(c, "turns"), *t;
	const char *name = json_string_value(json_object_get(c, "name"));
	char why[EVAL_WHY];
	size_t i;
	int failed = 0, have_reply = 0;

	eng_state_init(&st);
	res->cases++;
	json_array_foreach(turns, i, t) {
		json_t *say = json_object_get(t, "say");
		json_t *choose = json_object_get(t, "choose");
		const char *text = json_string_value(say ? say : choose);

		res->turns++;
		if (text == NULL) {
			snprintf(why, sizeof why, "turn has no say/choose");
		} else if (choose && (!have_reply || !has_option(r, text))) {
			snprintf(why, sizeof why, "option %s was not offered",
			    text);
		} else {
			eng_ask(e, &st, text, strlen(text), r);
			have_reply = 1;
			score_turn(&res->score, t, r);
			if (check_turn(t, r, why))
				continue;
		}
		res->turns_failed++;
		if (!failed && out)
			fprintf(out, "FAIL %s:%d %s\n", path, line,
			    name ? name : "(unnamed)");
		failed = 1;
		if (out)
			fprintf(out, "     turn %zu \"%s\": %s\n     reply: "
			    "%.200s\n", i + 1, text ? text : "", why,
			    have_reply ? r->text : "");
	}
	if (failed)
		res->cases_failed++;
	else if (out)
		fprintf(out, "ok   %s\n", name ? name : "(unnamed)");
	free(r);
}

int
eval_file(struct eng *e, const char *path, FILE *out, struct eval_result *res,
    char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, rc = 0;
	json_error_t je;
	json_t *c;

	if (f == NULL) {
		snprintf(err, errlen, "%s: cannot open", path);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		c = json_loadb(line, (size_t)n, 0, &je);
		if (c == NULL || !json_is_array(json_object_get(c, "turns"))) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno,
			    c ? "a case needs \"turns\"" : je.text);
			json_decref(c);
			rc = -1;
			break;
		}
		run_case(e, c, path, lineno, out, res);
		json_decref(c);
	}
	free(line);
	fclose(f);
	return rc;
}

static int
is_jsonl(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 6 && strcmp(d->d_name + n - 6, ".jsonl") == 0;
}

int
eval_dir(struct eng *e, const char *dir, FILE *out, struct eval_result *res,
    char *err, size_t errlen)
{
	struct dirent **names;
	char path[1024];
	int n, i, rc = 0;

	n = scandir(dir, &names, is_jsonl, alphasort);
	if (n < 0) {
		snprintf(err, errlen, "%s: cannot read directory", dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (rc == 0)
			rc = eval_file(e, path, out, res, err, errlen);
		free(names[i]);
	}
	free(names);
	return rc;
}
