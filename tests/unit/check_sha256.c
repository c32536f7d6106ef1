/* Unit tests for sha256.c: the FIPS 180-4 / NIST example vectors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void
expect(const char *in, size_t len, const char *want)
{
	char hex[SHA256_HEX_LEN];

	sha256_hex(in, len, hex);
	ck_assert_str_eq(hex, want);
}

START_TEST(test_vectors)
{
	char *m;

	expect("", 0, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	expect("abc", 3, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	/* 56 bytes: the length no longer fits the first padding block */
	expect("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1");
	expect("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", 112,
	    "cf5b16a778af8380036ce59e7b049237"
	    "0b249b11e8f07a51afac45037afee9d1");
	m = malloc(1000000);
	ck_assert_ptr_nonnull(m);
	memset(m, 'a', 1000000);
	expect(m, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
	free(m);
}
END_TEST

START_TEST(test_block_edges)
{
	/* 55, 63 and 64 bytes: padding in one block, in two, a full block */
	char a[65];

	memset(a, 'a', sizeof(a));
	expect(a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9a"
	    "e9b0a925a5258e241c9f1e910f734318");
	expect(a, 63, "7d3e74a05d7db15bce4ad9ec0658ea98"
	    "e3f06eeecf16b4c6fff2da457ddc2f34");
	expect(a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209"
	    "f439851db43d0ba5997337df154668eb");
}
END_TEST

/* Fed in pieces of every size, the digest is the one-shot digest. */
START_TEST(test_pieces)
{
	unsigned char buf[300];
	char one[SHA256_HEX_LEN], inc[SHA256_HEX_LEN];
	struct sha256_ctx c;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	sha256_hex(buf, sizeof(buf), one);
	for (size_t step = 1; step <= 130; step++) {
		sha256_init(&c);
		for (size_t o = 0; o < sizeof(buf); o += step)
			sha256_update(&c, buf + o, o + step <= sizeof(buf) ?
			    step : sizeof(buf) - o);
		sha256_final_hex(&c, inc);
		ck_assert_str_eq(inc, one);
	}
}
END_TEST

static Suite *
sha256_suite(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_vectors);
	tcase_add_test(tc, test_block_edges);
	tcase_add_test(tc, test_pieces);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sha256_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
