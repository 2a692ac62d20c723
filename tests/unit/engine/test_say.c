/* test_say.c - the sentences (say.c), on the shipped knowledge base.
 * Exercises: the typo note; smalltalk, clarification, welcome and
 * fallback sentences word for word; the starting suggestions; an answer
 * composed in pieces starting with a capital after whatever came before;
 * the capacity follow-up with its buttons; pay without figures; the next
 * step from a role; the ladder of a hierarchy answer. */
#include <string.h>
#include "engine/kb.h"
#include "engine/say.h"
#include "t.h"

static struct kb *kb;
static struct eng_reply r;

/* The shipped knowledge base and an empty reply, or a failed check. */
static int
start(void)
{
	char err[1024];

	memset(&r, 0, sizeof r);
	kb = kb_load("knowledge", err, sizeof err);
	ASSERT_NOT_NULL(kb);
	return kb != NULL;
}

TEST_IMPL(say_corrections_note)
{
	struct eng_corr c[2] = { { "prodcer", "producer" }, { "exectuive",
		"executive" } };

	memset(&r, 0, sizeof r);
	say_corrections(c, 0, &r);
	ASSERT_STR_EQ(r.text, "");
	say_corrections(c, 2, &r);
	ASSERT_STR_EQ(r.text, "(I read \"prodcer\" as \"producer\", "
	    "\"exectuive\" as \"executive\".) ");
}

TEST_IMPL(say_fixed_sentences)
{
	memset(&r, 0, sizeof r);
	say_smalltalk(ENG_I_THANKS, &r);
	ASSERT_STR_EQ(r.text, "You're welcome! Anything else about producer "
	    "roles?");
	memset(&r, 0, sizeof r);
	say_smalltalk(ENG_I_GOODBYE, &r);
	ASSERT_STR_EQ(r.text, "Good luck with your project. Come back any "
	    "time.");
	memset(&r, 0, sizeof r);
	say_ask_role(ENG_I_COMPARE, &r);
	ASSERT_STR_EQ(r.text, "Which role should I compare it with?");
	memset(&r, 0, sizeof r);
	say_ask_role(ENG_I_DUTIES, &r);
	ASSERT_STR_EQ(r.text, "Which role do you mean?");
}

TEST_IMPL(say_welcome_and_suggestions)
{
	int ri;

	if (!start())
		return;
	say_welcome(kb, -1, &r);
	ASSERT_EQ(strncmp(r.text, "Hi! I answer questions about producer "
	    "roles", 43), 0);
	ASSERT_EQ(r.nsuggestions, 3);
	ASSERT_STR_EQ(r.suggestions[0], "What does a co-producer do?");
	ASSERT_STR_EQ(r.suggestions[1], "Associate producer vs co-producer?");
	ASSERT_STR_EQ(r.suggestions[2], "How do I become a line producer?");
	memset(&r, 0, sizeof r);
	ri = kb_find_role(kb, "line-producer");
	say_welcome(kb, ri, &r);
	ASSERT_STR_EQ(r.text, "Welcome back! We were talking about the line "
	    "producer role. Ask me anything else about producer roles.");
	ASSERT_STR_EQ(r.suggestions[0], "What does a line producer do?");
	kb_free(kb);
}

TEST_IMPL(say_fallback_sentences)
{
	if (!start())
		return;
	say_fallback(kb, 1, NULL, 0, &r);
	ASSERT_EQ(strncmp(r.text, "That is outside what I cover: I only "
	    "know about producer roles", 61), 0);
	ASSERT_STR_LACKS(r.text, "These might be close");
	ASSERT_EQ(r.nsuggestions, 3);
	memset(&r, 0, sizeof r);
	{
		struct idx_hit h = { kb_find_role(kb, "co-producer"), -1,
			"career" };

		say_fallback(kb, 0, &h, 1, &r);
	}
	ASSERT_EQ(strncmp(r.text, "Sorry, I did not understand that", 32),
	    0);
	ASSERT_STR_HAS(r.text, " These might be close to what you want:");
	ASSERT_STR_EQ(r.suggestions[0], "How do I become a co-producer?");
	kb_free(kb);
}

TEST_IMPL(say_hierarchy_after_a_note)
{
	int ri;

	if (!start())
		return;
	ri = kb_find_role(kb, "co-producer");
	snprintf(r.text, sizeof r.text, "(note) ");
	say_hierarchy(kb, ri, &r);
	ASSERT_EQ(strncmp(r.text, "(note) A co-producer answers to the ", 36),
	    0);
	ASSERT_GE(r.nladder, 2);
	ASSERT_STR_EQ(r.ladder[r.ladder_focus].value, "co-producer");
	ASSERT_GT(r.nsources, 0);
	kb_free(kb);
}

TEST_IMPL(say_follow_ups)
{
	const struct kb_role *cp;

	if (!start())
		return;
	cp = kb_role(kb, kb_find_role(kb, "co-producer"));
	say_ask_capacity(cp, &r);
	ASSERT_STR_EQ(r.text, "\n\nIt also depends on whether the co-producer "
	    "brings money or creative work. Which do you mean?");
	ASSERT_EQ(r.noptions, 2);
	ASSERT_STR_EQ(r.options[0].label, "Funding");
	ASSERT_STR_EQ(r.options[1].value, "creative");
	memset(&r, 0, sizeof r);
	say_ask_industry(cp, &r);
	ASSERT_STR_HAS(r.text, "This differs by industry.");
	ASSERT_EQ(r.noptions, kb_role_industries(cp));
	kb_free(kb);
}

TEST_IMPL(say_pay_and_career)
{
	int i, ri = -1;

	if (!start())
		return;
	for (i = 0; i < kb_nroles(kb); i++)
		if (kb_role(kb, i)->pay.text == NULL)
			ri = i;
	if (ri >= 0) {
		const struct kb_role *x = kb_role(kb, ri);
		char want[256];

		say_pay(x, &r);
		snprintf(want, sizeof want, "My sources do not give pay figures "
		    "for %s %s, and I would rather not guess.", x->article,
		    x->name);
		ASSERT_EQ(strncmp(r.text, want, strlen(want)), 0);
	}
	memset(&r, 0, sizeof r);
	ri = kb_find_role(kb, "line-producer");
	say_career(kb, ri, ri, &r);
	ASSERT(strncmp(r.text, "From line producer, the usual next step is "
	    "the ", 46) == 0 || strncmp(r.text, "A line producer is already "
	    "at the top", 37) == 0);
	ASSERT_STR_HAS(r.text, "\n1. ");
	kb_free(kb);
}

TEST_LIST(
	TEST_ENTRY(say_corrections_note)
	TEST_ENTRY(say_fixed_sentences)
	TEST_ENTRY(say_welcome_and_suggestions)
	TEST_ENTRY(say_fallback_sentences)
	TEST_ENTRY(say_hierarchy_after_a_note)
	TEST_ENTRY(say_follow_ups)
	TEST_ENTRY(say_pay_and_career)
)
