/* chain.h - the chain of command and career routes, computed from the
 * roles' levels and links rather than written per pair of roles. */
#ifndef SLATE_CHAIN_H
#define SLATE_CHAIN_H

#include "kb.h"
#include "val.h"

/* Does role a answer directly to role b? */
int chain_reports_to(const struct kb_role *a, int b);
/* The reply's ladder: the chain of command top-down to role, then the
 * first role it oversees, with role in focus. */
void chain_ladder(const struct kb *kb, int role, struct eng_reply *out);
/* The shortest route from one role to another along career.next links,
 * into path[0, max); its length in roles, 0 when there is none. */
int chain_path(const struct kb *kb, int from, int to, int *path, int max);

#endif
