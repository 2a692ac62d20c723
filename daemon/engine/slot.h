/* slot.h - a session's slots read and written in the knowledge base's
 * terms: a role slot holds a role id, industry and capacity slots hold a
 * variation name, "" means unset. */
#ifndef SLATE_SLOT_H
#define SLATE_SLOT_H

#include "kb.h"
#include "val.h"

/* The role a slot names, or -1 when it is unset or unknown. */
int slot_role(const struct kb *kb, const char *slot);
/* Set a slot to v (NULL: unset). */
void slot_set(char *slot, const char *v);
/* Set a slot to the id of role (unset when role is not one). */
void slot_set_role(const struct kb *kb, char *slot, int role);
/* The session's industry (KB_FILM..KB_THEATER) or capacity (KB_FUNDING,
 * KB_CREATIVE), or -1. */
int slot_industry(const struct eng_state *st);
int slot_capacity(const struct eng_state *st);

#endif
