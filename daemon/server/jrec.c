/* jrec.c - journal records: framing, CRC-32C and the fields (jrec.h). */
#include <pthread.h>
#include <string.h>
#include "jrec.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define JREC_X86 1
#include <nmmintrin.h>
#endif

#define JREC_NONE 0xffffffffu   /* length of an absent string */
#define JREC_FIXED 10           /* type, flags, ts */

/* Slicing by 8: eight bytes a step, where a byte at a time cost the
 * loop a measurable share of each turn (docs/performance.md). */
static uint32_t jrec_table[8][256];
static int jrec_hw;             /* the CPU has the CRC-32C instruction */
static pthread_once_t jrec_once = PTHREAD_ONCE_INIT;

static void
jrec_table_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t v = i;

		for (int k = 0; k < 8; k++)
			v = v & 1 ? (v >> 1) ^ 0x82f63b78u : v >> 1;
		jrec_table[0][i] = v;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			jrec_table[t][i] = (jrec_table[t - 1][i] >> 8) ^
			    jrec_table[0][jrec_table[t - 1][i] & 0xff];
#ifdef JREC_X86
	__builtin_cpu_init();
	jrec_hw = __builtin_cpu_supports("sse4.2");
#endif
}

static uint32_t
jrec_crc_sw(uint32_t c, const unsigned char *b, size_t n)
{
	while (n >= 8) {
		uint32_t lo = c ^ ((uint32_t)b[0] | (uint32_t)b[1] << 8 |
		    (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24);

		c = jrec_table[7][lo & 0xff] ^ jrec_table[6][(lo >> 8) & 0xff] ^
		    jrec_table[5][(lo >> 16) & 0xff] ^ jrec_table[4][lo >> 24] ^
		    jrec_table[3][b[4]] ^ jrec_table[2][b[5]] ^
		    jrec_table[1][b[6]] ^ jrec_table[0][b[7]];
		b += 8;
		n -= 8;
	}
	while (n--)
		c = jrec_table[0][(c ^ *b++) & 0xff] ^ (c >> 8);
	return c;
}

#ifdef JREC_X86
/* SSE 4.2's crc32 instruction computes the same CRC-32C. */
__attribute__((target("sse4.2"))) static uint32_t
jrec_crc_hw(uint32_t c, const unsigned char *b, size_t n)
{
	uint64_t c64 = c, v;

	for (; n >= 8; b += 8, n -= 8) {
		memcpy(&v, b, 8);
		c64 = _mm_crc32_u64(c64, v);
	}
	c = (uint32_t)c64;
	while (n--)
		c = _mm_crc32_u8(c, *b++);
	return c;
}
#endif

/* CRC-32C (Castagnoli, reflected 0x82f63b78); its tables are built and
 * the CPU asked once, by whichever thread (the loop, the compactor, the
 * reader) needs it first. */
uint32_t
jrec_crc(const void *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	pthread_once(&jrec_once, jrec_table_init);
#ifdef JREC_X86
	if (jrec_hw)
		return jrec_crc_hw(c, p, n) ^ 0xffffffffu;
#endif
	return jrec_crc_sw(c, p, n) ^ 0xffffffffu;
}

static void
jrec_put32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)(v >> (8 * i));
}

static uint32_t
jrec_get32(const char *p)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)(unsigned char)p[i] << (8 * i);
	return v;
}

static const char *const *
jrec_fields(const struct jrec *r, const char *f[5])
{
	f[0] = r->token;
	f[1] = r->id;
	f[2] = r->user;
	f[3] = r->body;
	f[4] = r->slots;
	return f;
}

size_t
jrec_size(const struct jrec *r)
{
	const char *f[5];
	size_t n = JREC_HDR + JREC_FIXED;

	jrec_fields(r, f);
	for (int i = 0; i < 5; i++)
		n += 4 + (f[i] ? strlen(f[i]) + 1 : 0);
	return n;
}

size_t
jrec_encode(const struct jrec *r, char *buf)
{
	const char *f[5];
	char *p = buf + JREC_HDR;
	uint64_t ts = (uint64_t)r->ts;

	jrec_fields(r, f);
	*p++ = (char)r->type;
	*p++ = (char)(r->fallback != 0);
	jrec_put32(p, (uint32_t)ts);
	jrec_put32(p + 4, (uint32_t)(ts >> 32));
	p += 8;
	for (int i = 0; i < 5; i++) {
		size_t n = f[i] ? strlen(f[i]) : 0;

		jrec_put32(p, f[i] ? (uint32_t)n : JREC_NONE);
		p += 4;
		if (f[i]) {
			memcpy(p, f[i], n + 1);
			p += n + 1;
		}
	}
	jrec_put32(buf, (uint32_t)(p - buf - JREC_HDR));
	jrec_put32(buf + 4, jrec_crc(buf + JREC_HDR,
	    (size_t)(p - buf - JREC_HDR)));
	return (size_t)(p - buf);
}

int
jrec_decode(const char *buf, size_t avail, struct jrec *r, size_t *used)
{
	const char *f[5], *p, *end;
	uint32_t len;

	if (avail < JREC_HDR)
		return 0;
	len = jrec_get32(buf);
	if (len < JREC_FIXED + 20 || len > JREC_MAX)
		return -1;
	if (avail < JREC_HDR + (size_t)len)
		return 0;
	if (jrec_crc(buf + JREC_HDR, len) != jrec_get32(buf + 4))
		return -1;
	p = buf + JREC_HDR;
	end = p + len;
	memset(r, 0, sizeof *r);
	r->type = (unsigned char)p[0];
	r->fallback = p[1] != 0;
	r->ts = (int64_t)((uint64_t)jrec_get32(p + 2) |
	    (uint64_t)jrec_get32(p + 6) << 32);
	p += JREC_FIXED;
	for (int i = 0; i < 5; i++) {
		uint32_t n;

		if (end - p < 4)
			return -1;
		n = jrec_get32(p);
		p += 4;
		f[i] = NULL;
		if (n == JREC_NONE)
			continue;
		if ((size_t)(end - p) < (size_t)n + 1 || p[n] != '\0')
			return -1;
		f[i] = p;
		p += n + 1;
	}
	if (p != end || r->type < JREC_CREATE || r->type > JREC_PURGE)
		return -1;
	r->token = f[0];
	r->id = f[1];
	r->user = f[2];
	r->body = f[3];
	r->slots = f[4];
	*used = JREC_HDR + len;
	return 1;
}
