/* slot.c - a session's slots read and written in the knowledge base's
 * terms (see slot.h). */
#include "rep.h"
#include "slot.h"

int
slot_role(const struct kb *kb, const char *slot)
{
	return slot[0] ? kb_find_role(kb, slot) : -1;
}

void
slot_set(char *slot, const char *v)
{
	rep_copy(slot, ENG_ID_MAX, v ? v : "");
}

void
slot_set_role(const struct kb *kb, char *slot, int role)
{
	const struct kb_role *r = kb_role(kb, role);

	slot_set(slot, r ? r->id : NULL);
}

int
slot_industry(const struct eng_state *st)
{
	int v = st->industry[0] ? kb_var_find(st->industry) : -1;

	return v >= KB_FILM && v <= KB_THEATER ? v : -1;
}

int
slot_capacity(const struct eng_state *st)
{
	int v = st->capacity[0] ? kb_var_find(st->capacity) : -1;

	return v == KB_FUNDING || v == KB_CREATIVE ? v : -1;
}
