/* tok.c - session tokens (see tok.h). */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include "tok.h"

static const char tok_b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
			      "qrstuvwxyz0123456789-_";

int
tok_new(char out[TOK_LEN + 1])
{
	unsigned char raw[TOK_LEN / 4 * 3];
	size_t got = 0;

	while (got < sizeof raw) {
		ssize_t n = getrandom(raw + got, sizeof raw - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	for (size_t i = 0, o = 0; i < sizeof raw; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 |
		    raw[i + 2];

		out[o++] = tok_b64[v >> 18 & 63];
		out[o++] = tok_b64[v >> 12 & 63];
		out[o++] = tok_b64[v >> 6 & 63];
		out[o++] = tok_b64[v & 63];
	}
	out[TOK_LEN] = '\0';
	return 0;
}

int
tok_valid(const char *s)
{
	size_t n = strspn(s, tok_b64);

	return n == TOK_LEN && s[n] == '\0';
}
