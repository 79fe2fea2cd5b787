/* See android_prefs.h. */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "android_prefs.h"
#include "otpvault/codec.h"
#include "otpvault/mem.h"

/* The input with a UTF-8 BOM and leading blanks skipped. */
static const char *skip_prologue(const struct ov_blob *in, size_t *left)
{
    const char *p = (const char *)in->data;
    size_t n = in->len;

    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        n -= 3;
    }
    while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        p++;
        n--;
    }
    *left = n;
    return p;
}

bool ov_prefs_looks_like(const struct ov_blob *in)
{
    size_t n;
    const char *p = skip_prologue(in, &n);

    if (!(n >= 5 && memcmp(p, "<?xml", 5) == 0) && !(n >= 4 && memcmp(p, "<map", 4) == 0))
        return false;
    return memmem(p, n, "<map", 4) != NULL;
}

bool ov_prefs_has_key(const struct ov_blob *in, const char *key)
{
    char pat[256];
    int n;

    if (!ov_prefs_looks_like(in))
        return false;
    /* Android writes double quotes; single quotes are as valid in XML. */
    for (int q = 0; q < 2; q++) {
        n = snprintf(pat, sizeof pat, q == 0 ? "name=\"%s\"" : "name='%s'", key);
        if (n > 0 && (size_t)n < sizeof pat && memmem(in->data, in->len, pat, (size_t)n))
            return true;
    }
    return false;
}

/* Text nodes may hold secrets (FreeOTP keeps its keys in them): wipe them before libxml2
 * frees the tree. Depth is bounded by libxml2 (256 without XML_PARSE_HUGE). */
static void wipe_text(xmlNode *node)
{
    for (; node != NULL; node = node->next) {
        if ((node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) &&
            node->content != NULL)
            ov_wipe(node->content, (size_t)xmlStrlen(node->content));
        if (node->children != NULL && node->type == XML_ELEMENT_NODE)
            wipe_text(node->children);
    }
}

static int xml_error(xmlParserCtxt *ctxt, struct ov_error *err)
{
    const xmlError *e = xmlCtxtGetLastError(ctxt);
    char msg[160];

    if (e == NULL || e->message == NULL)
        return ov_error_set(err, OV_ERR_INVALID, "not well-formed XML");
    /* libxml2's messages end in a newline and may quote the input: keep them printable. */
    size_t len = strlen(e->message);
    while (len > 0 && (e->message[len - 1] == '\n' || e->message[len - 1] == ' '))
        len--;
    ov_text_excerpt(e->message, len, 100, msg, sizeof msg);
    return ov_error_set(err, OV_ERR_INVALID, "not well-formed XML (line %d): %s", e->line, msg);
}

static void add_string(struct ov_prefs *out, const char *name, const char *value)
{
    struct ov_prefs_string *s;

    out->items = ov_xrealloc(out->items, (out->len + 1) * sizeof *out->items);
    s = &out->items[out->len++];
    s->name = ov_xstrdup(name);
    s->value_len = strlen(value);
    s->value = ov_xstrndup(value, s->value_len);
}

static int collect(xmlNode *root, struct ov_prefs *out, struct ov_error *err)
{
    if (root == NULL || root->type != XML_ELEMENT_NODE ||
        xmlStrcmp(root->name, BAD_CAST "map") != 0)
        return ov_error_set(err, OV_ERR_INVALID, "XML, but not Android preferences (the root "
                            "element is <%.40s>, not <map>)",
                            root != NULL ? (const char *)root->name : "");
    for (xmlNode *n = root->children; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, BAD_CAST "string") != 0)
            continue; /* typed scalars, comments, blanks */
        xmlChar *name = xmlGetProp(n, BAD_CAST "name");
        if (name == NULL)
            continue; /* a nameless entry cannot be looked up, and Android never writes one */
        xmlChar *text = xmlNodeGetContent(n);
        add_string(out, (const char *)name, text != NULL ? (const char *)text : "");
        if (text != NULL) {
            ov_wipe(text, (size_t)xmlStrlen(text));
            xmlFree(text);
        }
        xmlFree(name);
    }
    return OV_OK;
}

int ov_prefs_parse(const struct ov_blob *in, struct ov_prefs *out, struct ov_error *err)
{
    xmlParserCtxt *ctxt;
    xmlDoc *doc;
    int rc;

    out->items = NULL;
    out->len = 0;
    if (in->len > OV_PREFS_MAX_INPUT)
        return ov_error_set(err, OV_ERR_LIMIT, "%zu bytes, more than the %u MiB accepted for "
                            "an Android preferences file", in->len, OV_PREFS_MAX_INPUT >> 20);
    if (in->len == 0)
        return ov_error_set(err, OV_ERR_INVALID, "empty file");
    /* Android never writes a DTD; refusing one means no entity declaration ever reaches
     * the parser (no expansion bombs, no external entities). */
    if (memmem(in->data, in->len, "<!DOCTYPE", 9) != NULL ||
        memmem(in->data, in->len, "<!ENTITY", 8) != NULL)
        return ov_error_set(err, OV_ERR_INVALID, "XML with a DOCTYPE or entity declaration "
                            "(not written by Android; refused)");
    xmlInitParser();
    ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return ov_error_set(err, OV_ERR_NOMEM, "out of memory for the XML parser");
    /* No XML_PARSE_NOENT / DTDLOAD / HUGE; NOERROR and NOWARNING keep the parser silent
     * (the core never prints), the last error stays in the context. Android always writes
     * UTF-8: reading it as such, whatever the declaration says, keeps libxml2's encoding
     * converters (which report on stderr, past the context) out of the way; bad UTF-8 is
     * still a parse error. */
    doc = xmlCtxtReadMemory(ctxt, (const char *)in->data, (int)in->len, NULL, "UTF-8",
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC);
    if (doc == NULL || !ctxt->wellFormed) {
        rc = xml_error(ctxt, err);
    } else {
        rc = collect(xmlDocGetRootElement(doc), out, err);
    }
    if (doc != NULL) {
        wipe_text(doc->children);
        xmlFreeDoc(doc);
    }
    xmlFreeParserCtxt(ctxt);
    if (rc != OV_OK)
        ov_prefs_free(out);
    return rc;
}

const struct ov_prefs_string *ov_prefs_get(const struct ov_prefs *p, const char *name)
{
    for (size_t i = p->len; i-- > 0;)
        if (strcmp(p->items[i].name, name) == 0)
            return &p->items[i];
    return NULL;
}

void ov_prefs_free(struct ov_prefs *p)
{
    for (size_t i = 0; i < p->len; i++) {
        ov_wipe(p->items[i].value, p->items[i].value_len);
        free(p->items[i].value);
        free(p->items[i].name);
    }
    free(p->items);
    p->items = NULL;
    p->len = 0;
}
