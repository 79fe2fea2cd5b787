/* libgcrypt set-up, process hardening, Argon2id with parallel lanes, AES-256-GCM. */
#include <gcrypt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "otpvault/crypto.h"
#include "otpvault/mem.h"

#define MIN_GCRYPT_VERSION "1.10.0"
/* Locked pool to start with (within a default 8 MiB RLIMIT_MEMLOCK); when it runs out,
 * libgcrypt adds pools of SECMEM_GROW_BYTES, which also bounds one secure allocation. */
#define SECMEM_POOL_BYTES (1024u * 1024u)
#define SECMEM_GROW_BYTES (16u * 1024u * 1024u)
#define THREADS_MAX 64u

int ov_crypto_init(void)
{
    static int done;

    if (done)
        return OV_OK;
    if (gcry_check_version(MIN_GCRYPT_VERSION) == NULL)
        return OV_ERR_UNSUPPORTED;
    /* Without root, mlock may be limited: secrets then still live in the separate pool,
     * which is wiped; the warning would only alarm users on every start. */
    gcry_control(GCRYCTL_SUSPEND_SECMEM_WARN);
    gcry_control(GCRYCTL_INIT_SECMEM, SECMEM_POOL_BYTES, 0);
    gcry_control(GCRYCTL_AUTO_EXPAND_SECMEM, SECMEM_GROW_BYTES, 0);
    gcry_control(GCRYCTL_DISABLE_SECMEM_WARN);
    gcry_control(GCRYCTL_RESUME_SECMEM_WARN);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    done = 1;
    return OV_OK;
}

void ov_crypto_harden_process(void)
{
    struct rlimit none = { 0, 0 };

    setrlimit(RLIMIT_CORE, &none);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void ov_random(void *buf, size_t n)
{
    gcry_randomize(buf, n, GCRY_STRONG_RANDOM);
}

/* libgcrypt hands us one job per lane and segment; we run each in its own thread and join
 * them all at the synchronisation point. */
struct kdf_threads {
    pthread_t ids[THREADS_MAX];
    unsigned count;
    int failed;
};

struct kdf_job {
    gcry_kdf_job_fn_t fn;
    void *priv;
};

static void *run_kdf_job(void *arg)
{
    struct kdf_job job = *(struct kdf_job *)arg;
    free(arg);
    job.fn(job.priv);
    return NULL;
}

static int dispatch_kdf_job(void *ctx, gcry_kdf_job_fn_t fn, void *priv)
{
    struct kdf_threads *t = ctx;
    struct kdf_job *job;

    if (t->count == THREADS_MAX) {
        fn(priv); /* cannot happen with lanes <= THREADS_MAX; stay correct anyway */
        return 0;
    }
    job = ov_xmalloc(sizeof *job);
    job->fn = fn;
    job->priv = priv;
    if (pthread_create(&t->ids[t->count], NULL, run_kdf_job, job) != 0) {
        free(job);
        fn(priv); /* no thread to be had: compute in this one */
        return 0;
    }
    t->count++;
    return 0;
}

static int wait_kdf_jobs(void *ctx)
{
    struct kdf_threads *t = ctx;

    for (unsigned i = 0; i < t->count; i++)
        pthread_join(t->ids[i], NULL);
    t->count = 0;
    return 0;
}

int ov_kdf_argon2id(const char *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
                    const struct ov_kdf_params *params, uint8_t *out, size_t out_len,
                    struct ov_error *err)
{
    unsigned long p[4] = { out_len, params->time_cost, params->memory_kib, params->lanes };
    struct kdf_threads threads = { .count = 0 };
    gcry_kdf_thread_ops_t ops = { &threads, dispatch_kdf_job, wait_kdf_jobs };
    gcry_kdf_hd_t hd;
    gcry_error_t ge;

    if (params->lanes == 0 || params->lanes > THREADS_MAX || params->time_cost == 0 ||
        params->memory_kib < 8u * params->lanes)
        return ov_error_set(err, OV_ERR_INVALID,
                            "invalid Argon2id parameters (memory %u KiB, time %u, lanes %u)",
                            params->memory_kib, params->time_cost, params->lanes);
    if (params->memory_kib >= OV_ARGON2_MAX_KIB)
        return ov_error_set(err, OV_ERR_LIMIT, "Argon2id with %u KiB of memory: 4 GiB or more "
                            "is beyond what libgcrypt can allocate", params->memory_kib);
    /* The memory is allocated when the handle is opened: out of memory there is NOMEM too
     * (not a sign of a wrong passphrase, which is what the vault says for other failures). */
    ge = gcry_kdf_open(&hd, GCRY_KDF_ARGON2, GCRY_KDF_ARGON2ID, p, 4, pass, pass_len, salt,
                       salt_len, NULL, 0, NULL, 0);
    if (ge == 0) {
        ge = gcry_kdf_compute(hd, params->lanes > 1 ? &ops : NULL);
        if (ge == 0)
            ge = gcry_kdf_final(hd, out_len, out);
        gcry_kdf_close(hd);
    }
    if (ge != 0 && gcry_err_code(ge) == GPG_ERR_ENOMEM)
        return ov_error_set(err, OV_ERR_NOMEM, "Argon2id needs %u MiB of memory, which could "
                            "not be had (%s)", params->memory_kib / 1024, gcry_strerror(ge));
    if (ge != 0)
        return ov_error_set(err, OV_ERR_UNSUPPORTED, "Argon2id: %s", gcry_strerror(ge));
    return OV_OK;
}

/* The vault's AEAD: AES-256-GCM, 12-byte nonce, the tag stored after the ciphertext. */
int ov_aead_encrypt(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                    size_t aad_len, const uint8_t *plain, size_t plain_len, uint8_t *out,
                    struct ov_error *err)
{
    return ov_aes_gcm_encrypt(key, 32, nonce, 12, aad, aad_len, plain, plain_len, out,
                              out + plain_len, err);
}

int ov_aead_decrypt(const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                    size_t aad_len, const uint8_t *in, size_t in_len, uint8_t *plain_out,
                    struct ov_error *err)
{
    if (in_len < 16)
        return ov_error_set(err, OV_ERR_AUTH, "ciphertext shorter than its tag");
    return ov_aes_gcm_decrypt(key, 32, nonce, 12, aad, aad_len, in, in_len - 16,
                              in + in_len - 16, plain_out, err);
}
