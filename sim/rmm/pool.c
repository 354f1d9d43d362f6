// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench RMM model: the page pool the RTTs live in (see pool.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pool.h"

void pool_init(struct rtt_pool *p)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
}

void pool_fini(struct rtt_pool *p)
{
	for (size_t i = 0; i < p->nchunks; i++)
		munmap(p->chunks[i], POOL_CHUNK_BYTES);
	free(p->chunks);
	free(p->clean.v);
	free(p->dirty.v);
	pthread_mutex_destroy(&p->lock);
	memset(p, 0, sizeof(*p));
}

static void push(struct pool_stack *s, void *page)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 512;
		void **v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			abort();
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = page;
}

/*
 * A new chunk, aligned to its size; called when no page never handed out
 * is left.
 */
static void chunk_new(struct rtt_pool *p)
{
	size_t len = 2 * POOL_CHUNK_BYTES, head;
	char *m, *c;

	if (p->nchunks == p->cap_chunks) {
		size_t cap = p->cap_chunks ? 2 * p->cap_chunks : 16;
		void **v = realloc(p->chunks, cap * sizeof(*v));

		if (!v)
			abort();
		p->chunks = v;
		p->cap_chunks = cap;
	}
	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		abort();
	c = (char *)(((uintptr_t)m + POOL_CHUNK_BYTES - 1) &
		     ~(uintptr_t)(POOL_CHUNK_BYTES - 1));
	head = (size_t)(c - m);
	if (head)
		munmap(m, head);
	munmap(c + POOL_CHUNK_BYTES, len - head - POOL_CHUNK_BYTES);
	/* one written page must not make its 2 MiB neighbourhood resident */
	madvise(c, POOL_CHUNK_BYTES, MADV_NOHUGEPAGE);
	p->chunks[p->nchunks++] = c;
	p->fresh = c + POOL_HDR_PAGES * POOL_PAGE_SIZE;
	p->nfresh = POOL_CHUNK_PAGES - POOL_HDR_PAGES;
}

static void *take_fresh(struct rtt_pool *p)
{
	void *page;

	if (!p->nfresh)
		chunk_new(p);
	page = p->fresh;
	p->fresh += POOL_PAGE_SIZE;
	p->nfresh--;
	return page;
}

/* A page, locked; *@wipe: it must be zeroed before it reads all 0. */
static void *page_locked(struct rtt_pool *p, bool zero, bool *wipe)
{
	*wipe = false;
	if (zero) {
		if (p->clean.n)
			return p->clean.v[--p->clean.n];
		if (!p->nfresh && p->dirty.n) {
			*wipe = true;
			return p->dirty.v[--p->dirty.n];
		}
		return take_fresh(p);
	}
	if (p->dirty.n)
		return p->dirty.v[--p->dirty.n];
	if (p->clean.n)
		return p->clean.v[--p->clean.n];
	return take_fresh(p);
}

void *pool_get(struct rtt_pool *p, bool zero)
{
	void *page;
	bool wipe;

	pthread_mutex_lock(&p->lock);
	page = page_locked(p, zero, &wipe);
	pthread_mutex_unlock(&p->lock);
	if (wipe)
		memset(page, 0, POOL_PAGE_SIZE);
	return page;
}

bool pool_page_zero(const void *page)
{
	const uint64_t *w = page;

	for (size_t i = 0; i < POOL_PAGE_SIZE / 8; i += 8) {
		uint64_t x = 0;

		for (size_t j = 0; j < 8; j++)
			x |= w[i + j];
		if (x)
			return false;
	}
	return true;
}

void pool_put(struct rtt_pool *p, void *page)
{
	bool zero = pool_page_zero(page);

	pthread_mutex_lock(&p->lock);
	push(zero ? &p->clean : &p->dirty, page);
	pthread_mutex_unlock(&p->lock);
}

void pool_get_stats(struct rtt_pool *p, struct pool_stats *st)
{
	pthread_mutex_lock(&p->lock);
	st->clean = p->clean.n;
	st->dirty = p->dirty.n;
	st->fresh = p->nfresh;
	st->chunks = p->nchunks;
	pthread_mutex_unlock(&p->lock);
}
