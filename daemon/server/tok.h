/* tok.h - session tokens: the credential a client keeps to resume its
 * conversation.  Minted by the protocol, stored as given by the store. */
#ifndef SLATE_TOK_H
#define SLATE_TOK_H

#define TOK_LEN 32   /* 192 random bits, base64url */

/* A new token from the OS's random source, NUL-terminated; -1 if none. */
int tok_new(char out[TOK_LEN + 1]);
/* Whether s has a token's shape: TOK_LEN base64url characters. */
int tok_valid(const char *s);

#endif
