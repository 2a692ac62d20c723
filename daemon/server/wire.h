/* wire.h - the names slated shows the outside world, each table once: the
 * client message types and error codes of the protocol (docs/protocol.md)
 * and the reasons an upgrade or connection is refused.  proto and ws speak
 * the enums; met labels its counters with the names, so the series of
 * /metrics are fixed whatever clients send. */
#ifndef SLATE_WIRE_H
#define SLATE_WIRE_H

/* A client message's "type"; WIRE_OTHER for anything else. */
enum wire_type {
	WIRE_HELLO, WIRE_ASK, WIRE_RESET, WIRE_FORGET, WIRE_OTHER,
	WIRE_NTYPE
};

/* An error answer's "code".  WIRE_E_SHUTTING_DOWN and WIRE_E_OTHER are
 * not sent today; /metrics lists them so its series stay the same. */
enum wire_code {
	WIRE_E_BAD_JSON, WIRE_E_BAD_TYPE, WIRE_E_BAD_FIELD, WIRE_E_TOO_LONG,
	WIRE_E_RATE_LIMITED, WIRE_E_STORAGE, WIRE_E_SHUTTING_DOWN,
	WIRE_E_OTHER, WIRE_NCODE
};

/* Why a connection or an upgrade was refused. */
enum wire_refusal {
	WIRE_R_ORIGIN, WIRE_R_PATH, WIRE_R_LIMIT, WIRE_R_PER_IP,
	WIRE_R_TCP_PER_IP, WIRE_R_SHUTTING_DOWN, WIRE_R_OTHER, WIRE_NREFUSAL
};

/* The names, "other" for a value out of range. */
const char *wire_type_name(enum wire_type t);
const char *wire_code_name(enum wire_code c);
const char *wire_refusal_name(enum wire_refusal r);
/* The type named s (NULL allowed), or WIRE_OTHER. */
enum wire_type wire_type_find(const char *s);

#endif
