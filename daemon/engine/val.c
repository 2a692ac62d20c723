/* val.c - the name tables of intents and kinds, and a session's state and
 * a reply as JSON, both as jansson objects and as text written in place. */
#include <string.h>
#include "val.h"
#include "common/xmem.h"

static const char *const val_intents[ENG_I_N] = {
	"definition", "duties", "compare", "hierarchy", "variation", "credit",
	"career", "pay", "funding", "greeting", "thanks", "goodbye", "help",
	"reset"
};

int
eng_intent_smalltalk(int i)
{
	return i >= ENG_I_GREETING;
}

/* A confidence as sent: two decimals, within 0..1. */
static double
val_confidence(double c)
{
	c = c < 0 ? 0 : c > 1 ? 1 : c;
	return (double)(long)(c * 100 + 0.5) / 100;
}

const char *
eng_intent_name(int i)
{
	return i >= 0 && i < ENG_I_N ? val_intents[i] : NULL;
}

int
eng_intent_find(const char *name)
{
	int i;

	for (i = 0; i < ENG_I_N; i++)
		if (strcmp(val_intents[i], name) == 0)
			return i;
	return -1;
}

static const char *const val_kinds[ENG_NKIND] = { "answer", "clarify", "fallback",
	"smalltalk" };

const char *
eng_kind_name(enum eng_kind k)
{
	return k <= ENG_SMALLTALK ? val_kinds[k] : "fallback";
}

void
eng_state_init(struct eng_state *st)
{
	memset(st, 0, sizeof *st);
}

/* A string member, or null for NULL or "".  Out of memory aborts (as
 * every allocation here does, through xcheck()); a string that is not
 * valid UTF-8 gives NULL, which jansson then leaves out of its object. */
static json_t *
str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *
slots_json(const struct eng_state *st)
{
	return xcheck(json_pack("{s:o,s:o,s:o,s:o,s:o}",
	    "role", str_or_null(st->role),
	    "other_role", str_or_null(st->other_role),
	    "from_role", str_or_null(st->from_role),
	    "industry", str_or_null(st->industry),
	    "capacity", str_or_null(st->capacity)));
}

json_t *
eng_reply_json(const struct eng_reply *r)
{
	json_t *j = xcheck(json_object()), *a;
	int i;

	json_object_set_new(j, "kind", json_string(eng_kind_name(r->kind)));
	json_object_set_new(j, "intent", str_or_null(r->intent));
	json_object_set_new(j, "text", json_string(r->text));
	json_object_set_new(j, "slots", slots_json(&r->slots));
	a = xcheck(json_array());
	for (i = 0; i < r->noptions; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "label",
		    r->options[i].label, "value", r->options[i].value));
	json_object_set_new(j, "options", a);
	a = xcheck(json_array());
	for (i = 0; i < r->nsuggestions; i++)
		json_array_append_new(a, json_string(r->suggestions[i]));
	json_object_set_new(j, "suggestions", a);
	a = xcheck(json_array());
	for (i = 0; i < r->ncorrections; i++)
		json_array_append_new(a, json_pack("{s:s,s:s}", "from",
		    r->corrections[i].from, "to", r->corrections[i].to));
	json_object_set_new(j, "corrections", a);
	a = xcheck(json_array());
	for (i = 0; i < r->nsources; i++)
		json_array_append_new(a, json_string(r->sources[i]));
	json_object_set_new(j, "sources", a);
	if (r->nladder > 0) {
		json_t *steps = xcheck(json_array());

		for (i = 0; i < r->nladder; i++)
			json_array_append_new(steps, json_pack("{s:s,s:s}",
			    "id", r->ladder[i].value, "title",
			    r->ladder[i].label));
		json_object_set_new(j, "ladder", json_pack("{s:o,s:i}",
		    "steps", steps, "focus", r->ladder_focus));
	}
	if (r->nplan > 0) {
		json_t *steps = xcheck(json_array());

		for (i = 0; i < r->nplan; i++)
			json_array_append_new(steps, json_pack("{s:s,s:s}",
			    "id", r->plan[i].value, "title", r->plan[i].label));
		json_object_set_new(j, "plan", json_pack("{s:o,s:i}",
		    "steps", steps, "focus", r->plan_focus));
	}
	json_object_set_new(j, "confidence",
	    xcheck(json_real(val_confidence(r->confidence))));
	return j;
}

json_t *
eng_state_to_json(const struct eng_state *st)
{
	json_t *j = slots_json(st);

	json_object_set_new(j, "last_intent", str_or_null(st->last_intent));
	json_object_set_new(j, "pending", str_or_null(st->pending));
	json_object_set_new(j, "asked", xcheck(json_integer(st->asked)));
	json_object_set_new(j, "pending_age", xcheck(json_integer(st->pending_age)));
	json_object_set_new(j, "start", str_or_null(st->start));
	json_object_set_new(j, "step", xcheck(json_integer(st->step)));
	return j;
}

int
eng_state_equal(const struct eng_state *a, const struct eng_state *b)
{
	return strcmp(a->role, b->role) == 0 &&
	    strcmp(a->other_role, b->other_role) == 0 &&
	    strcmp(a->from_role, b->from_role) == 0 &&
	    strcmp(a->industry, b->industry) == 0 &&
	    strcmp(a->capacity, b->capacity) == 0 &&
	    strcmp(a->last_intent, b->last_intent) == 0 &&
	    strcmp(a->pending, b->pending) == 0 && a->asked == b->asked &&
	    a->pending_age == b->pending_age &&
	    strcmp(a->start, b->start) == 0 && a->step == b->step;
}

static int
get_slot(const json_t *j, const char *key, char *out)
{
	json_t *v = json_object_get(j, key);

	if (v == NULL || json_is_null(v)) {
		out[0] = '\0';
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) >= ENG_ID_MAX)
		return -1;
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

int
eng_state_from_json(struct eng_state *st, const json_t *j)
{
	struct eng_state s;
	json_t *v;

	eng_state_init(&s);
	if (!json_is_object(j) ||
	    get_slot(j, "role", s.role) || get_slot(j, "other_role",
	    s.other_role) || get_slot(j, "from_role", s.from_role) ||
	    get_slot(j, "industry", s.industry) || get_slot(j, "capacity",
	    s.capacity) || get_slot(j, "last_intent", s.last_intent) ||
	    get_slot(j, "pending", s.pending) || get_slot(j, "start", s.start))
		return -1;
	if ((v = json_object_get(j, "asked")) && json_is_integer(v))
		s.asked = (unsigned)json_integer_value(v);
	if ((v = json_object_get(j, "pending_age")) && json_is_integer(v))
		s.pending_age = (unsigned)json_integer_value(v);
	if ((v = json_object_get(j, "step")) && json_is_integer(v) &&
	    json_integer_value(v) >= 0 && json_integer_value(v) < 100)
		s.step = (unsigned)json_integer_value(v);
	*st = s;
	return 0;
}

static void
jw_slots(struct jw *w, const struct eng_state *st)
{
	jw_lit(w, "{\"role\":");
	jw_str_or_null(w, st->role);
	jw_lit(w, ",\"other_role\":");
	jw_str_or_null(w, st->other_role);
	jw_lit(w, ",\"from_role\":");
	jw_str_or_null(w, st->from_role);
	jw_lit(w, ",\"industry\":");
	jw_str_or_null(w, st->industry);
	jw_lit(w, ",\"capacity\":");
	jw_str_or_null(w, st->capacity);
}

static void
jw_pairs(struct jw *w, const struct eng_option *o, int n, const char *k1,
    const char *k2, int values_first)
{
	int i;

	jw_lit(w, "[");
	for (i = 0; i < n; i++) {
		jw_lit(w, i ? ",{\"" : "{\"");
		jw_lit(w, k1);
		jw_lit(w, "\":");
		jw_str(w, values_first ? o[i].value : o[i].label);
		jw_lit(w, ",\"");
		jw_lit(w, k2);
		jw_lit(w, "\":");
		jw_str(w, values_first ? o[i].label : o[i].value);
		jw_lit(w, "}");
	}
	jw_lit(w, "]");
}

/* A JSON array of n strings laid out stride bytes apart from first. */
static void
jw_strs(struct jw *w, const char *first, size_t stride, int n)
{
	jw_lit(w, "[");
	for (int i = 0; i < n; i++) {
		if (i)
			jw_lit(w, ",");
		jw_str(w, first + (size_t)i * stride);
	}
	jw_lit(w, "]");
}

size_t
eng_reply_write(struct jw *w, const struct eng_reply *r)
{
	char num[64];

	jw_lit(w, "\"kind\":");
	jw_str(w, eng_kind_name(r->kind));
	jw_lit(w, ",\"intent\":");
	jw_str_or_null(w, r->intent);
	jw_lit(w, ",\"text\":");
	jw_str(w, r->text);
	jw_lit(w, ",\"slots\":");
	jw_slots(w, &r->slots);
	jw_lit(w, "},\"options\":");
	jw_pairs(w, r->options, r->noptions, "label", "value", 0);
	jw_lit(w, ",\"suggestions\":");
	jw_strs(w, r->suggestions[0], sizeof r->suggestions[0],
	    r->nsuggestions);
	jw_lit(w, ",\"corrections\":[");
	for (int i = 0; i < r->ncorrections; i++) {
		jw_lit(w, i ? ",{\"from\":" : "{\"from\":");
		jw_str(w, r->corrections[i].from);
		jw_lit(w, ",\"to\":");
		jw_str(w, r->corrections[i].to);
		jw_lit(w, "}");
	}
	jw_lit(w, "],\"sources\":");
	jw_strs(w, r->sources[0], sizeof r->sources[0], r->nsources);
	if (r->nladder > 0) {
		jw_lit(w, ",\"ladder\":{\"steps\":");
		jw_pairs(w, r->ladder, r->nladder, "id", "title", 1);
		snprintf(num, sizeof num, "%d", r->ladder_focus);
		jw_lit(w, ",\"focus\":");
		jw_lit(w, num);
		jw_lit(w, "}");
	}
	if (r->nplan > 0) {
		jw_lit(w, ",\"plan\":{\"steps\":");
		jw_pairs(w, r->plan, r->nplan, "id", "title", 1);
		snprintf(num, sizeof num, ",\"focus\":%d}", r->plan_focus);
		jw_lit(w, num);
	}
	snprintf(num, sizeof num, ",\"confidence\":%.2f", 
	    val_confidence(r->confidence));
	jw_lit(w, num);
	return jw_len(w);
}

size_t
eng_state_write(struct jw *w, const struct eng_state *st)
{
	char num[48];

	jw_slots(w, st);
	jw_lit(w, ",\"last_intent\":");
	jw_str_or_null(w, st->last_intent);
	jw_lit(w, ",\"pending\":");
	jw_str_or_null(w, st->pending);
	snprintf(num, sizeof num, ",\"asked\":%u,\"pending_age\":%u",
	    st->asked, st->pending_age);
	jw_lit(w, num);
	jw_lit(w, ",\"start\":");
	jw_str_or_null(w, st->start);
	snprintf(num, sizeof num, ",\"step\":%u}", st->step);
	jw_lit(w, num);
	return jw_len(w);
}
