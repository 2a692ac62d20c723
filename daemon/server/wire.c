/* wire.c - the protocol's and the refusals' name tables (see wire.h). */
#include <string.h>
#include "wire.h"

static const char *const wire_types[WIRE_NTYPE] = {
	[WIRE_HELLO] = "hello", [WIRE_ASK] = "ask", [WIRE_RESET] = "reset",
	[WIRE_FORGET] = "forget", [WIRE_OTHER] = "other",
};

static const char *const wire_codes[WIRE_NCODE] = {
	[WIRE_E_BAD_JSON] = "bad_json", [WIRE_E_BAD_TYPE] = "bad_type",
	[WIRE_E_BAD_FIELD] = "bad_field", [WIRE_E_TOO_LONG] = "too_long",
	[WIRE_E_RATE_LIMITED] = "rate_limited", [WIRE_E_STORAGE] = "storage",
	[WIRE_E_SHUTTING_DOWN] = "shutting_down", [WIRE_E_OTHER] = "other",
};

static const char *const wire_refusals[WIRE_NREFUSAL] = {
	[WIRE_R_ORIGIN] = "origin", [WIRE_R_PATH] = "path",
	[WIRE_R_LIMIT] = "limit", [WIRE_R_PER_IP] = "per_ip",
	[WIRE_R_TCP_PER_IP] = "tcp_per_ip",
	[WIRE_R_SHUTTING_DOWN] = "shutting_down", [WIRE_R_OTHER] = "other",
};

const char *
wire_type_name(enum wire_type t)
{
	return (unsigned)t < WIRE_NTYPE ? wire_types[t] : "other";
}

const char *
wire_code_name(enum wire_code c)
{
	return (unsigned)c < WIRE_NCODE ? wire_codes[c] : "other";
}

const char *
wire_refusal_name(enum wire_refusal r)
{
	return (unsigned)r < WIRE_NREFUSAL ? wire_refusals[r] : "other";
}

enum wire_type
wire_type_find(const char *s)
{
	for (int t = 0; s && t < WIRE_OTHER; t++)
		if (strcmp(wire_types[t], s) == 0)
			return (enum wire_type)t;
	return WIRE_OTHER;
}
