// SPDX-License-Identifier: GPL-2.0
/*
 * lu-bench: what a live update costs a VMM, for `make bench`.
 *
 * usage: lu-bench m BDF MIB   (the guest memory alone preserved)
 *        lu-bench f BDF MIB [BDF2]   (next kernel: stage 1 on that memfd,
 *                              then its session finished)
 *        lu-bench 1 BDF MIB [BDF2]   (old kernel: map, preserve, hand over)
 *        lu-bench 2 BDF MIB [BDF2]   (new kernel: reclaim, then re-map,
 *                              compared)
 *
 * Stage m gives the kexec a baseline with the guest memory preserved but
 * no iommufd and no device: what the IOMMU's live update adds to a kexec
 * is the difference to the next one. Stage f goes on as stage 1 with the
 * memfd it retrieved, whose folios KHO kept where they were, and finishes
 * that session only once IOMMU_IOAS_MAP_FILE has pinned them (until the
 * finish a restored memfd keeps its folios in place), so that both
 * kexecs hand over the same physical pages: a new memfd would be
 * scattered differently, and the next kernel's early boot (KHO reserving
 * the folios, the memory around them freed) with it.
 *
 * Stage 1 maps a sealed memfd of MIB MiB (every page present) into an IOAS
 * by file, attaches the igb to an HWPT on it, checks a DMA, and preserves
 * memfd, iommufd and device in a LUO session, timing the map and each
 * preserve. Stage 2 retrieves them and times, from the session retrieved
 * to the IOAS mutable and a device DMA verified:
 *   reclaim: IOMMU_HWPT_LU_RECLAIM, attach the reclaimed HWPT, DMA;
 *   re-map:  a new IOAS, the whole memfd mapped into it, a new HWPT, the
 *            device attached to it (replacing the reclaimed one), DMA.
 * The re-map runs second, on memory the reclaim already pinned once.
 *
 * With BDF2, a second device shares the HWPT and is preserved after the
 * first: what a second preserved device adds to the kexec. It does no DMA;
 * in stage 2 it is attached with the first, to the reclaimed HWPT and then
 * to the re-map's, both timed.
 *
 * Each figure is printed as "# BENCH key=value" for scripts/bench.py.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/sizes.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>

#include <libvfio.h>
#include <libliveupdate.h>

#define BENCH_SESSION	"lu-bench"
#define BENCH_MEM_SESSION	"lu-bench-mem"
#define MEMFD_TOKEN	1
#define IOMMUFD_TOKEN	2
#define DEVICE_TOKEN	3
#define DEVICE2_TOKEN	4
#define HWPT_TOKEN	0x1234
#define DRIVER_SIZE	SZ_2M
#define COPY_SIZE	SZ_64K
#define BASE_IOVA	0x100000000ULL

struct bench {
	struct iommu *iommu;
	struct vfio_pci_device *device;
	struct vfio_pci_device *device2;	/* BDF2, or NULL */
	const char *bdf2;
	struct dma_region buf;
	unsigned char *mem;
	unsigned long long size;
	int memfd;
	int mem_session_fd;	/* stage f: finished once the memfd is mapped */
	__u32 hwpt_id;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void figure(const char *key, double value)
{
	printf("# BENCH %s=%.3f\n", key, value);
}

static void map_file(struct bench *b, __u32 ioas_id)
{
	struct iommu_ioas_map_file map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas_id,
		.fd = b->memfd,
		.length = b->size,
		.iova = BASE_IOVA,
	};

	ioctl_assert(b->iommu->iommufd, IOMMU_IOAS_MAP_FILE, &map);
}

/* The device, and the second one if any, attached to @hwpt_id */
static void attach_devices(struct bench *b, __u32 hwpt_id)
{
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
		.pt_id = hwpt_id,
	};

	ioctl_assert(b->device->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach);
	if (b->device2) {
		attach.pt_id = hwpt_id;	/* in/out: the first attach wrote it */
		ioctl_assert(b->device2->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
			     &attach);
	}
}

static __u32 attach_new_hwpt(struct bench *b, __u32 ioas_id)
{
	struct iommu_hwpt_alloc alloc = {
		.size = sizeof(alloc),
		.dev_id = b->device->iommufd_dev_id,
		.pt_id = ioas_id,
	};

	ioctl_assert(b->iommu->iommufd, IOMMU_HWPT_ALLOC, &alloc);
	attach_devices(b, alloc.out_hwpt_id);
	return alloc.out_hwpt_id;
}

/* Descriptors at the start of the memfd, the rest a buffer */
static void bench_regions(struct bench *b)
{
	struct dma_region *drv = &b->device->driver.region;

	drv->vaddr = b->mem;
	drv->size = DRIVER_SIZE;
	drv->iova = BASE_IOVA;
	b->buf.vaddr = b->mem + DRIVER_SIZE;
	b->buf.size = b->size - DRIVER_SIZE;
	b->buf.iova = BASE_IOVA + DRIVER_SIZE;
	list_add(&drv->link, &b->iommu->dma_regions);
	list_add(&b->buf.link, &b->iommu->dma_regions);
}

/* The device copies COPY_SIZE bytes to the end of the memfd: verified */
static void bench_dma(struct bench *b, unsigned int seed)
{
	unsigned char *src = b->buf.vaddr;
	unsigned char *dst = src + b->buf.size - COPY_SIZE;
	size_t i;

	for (i = 0; i < COPY_SIZE; i++)
		src[i] = (unsigned char)(i * 7 + seed);
	memset(dst, 0, COPY_SIZE);
	VFIO_ASSERT_EQ(vfio_pci_driver_memcpy(b->device, b->buf.iova,
					      b->buf.iova + b->buf.size - COPY_SIZE,
					      COPY_SIZE), 0);
	VFIO_ASSERT_EQ(memcmp(src, dst, COPY_SIZE), 0);
}

/* Every page of the memfd present and mapped, as a VMM's guest memory */
static void bench_memfd_map(struct bench *b)
{
	unsigned long long off;

	b->mem = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b->memfd, 0);
	VFIO_ASSERT_NE(b->mem, MAP_FAILED);
	for (off = 0; off < b->size; off += getpagesize())
		b->mem[off] = 1;
}

/* The guest memory: a new sealed memfd, every page present */
static void bench_memfd(struct bench *b)
{
	b->memfd = memfd_create("lu-bench", MFD_ALLOW_SEALING);
	VFIO_ASSERT_GE(b->memfd, 0);
	VFIO_ASSERT_EQ(ftruncate(b->memfd, b->size), 0);
	VFIO_ASSERT_EQ(fcntl(b->memfd, F_ADD_SEALS,
			     F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL), 0);
	bench_memfd_map(b);
}

/* A new LUO session @name */
static int bench_session(const char *name)
{
	int luo_fd, session_fd;

	luo_fd = luo_open_device();
	VFIO_ASSERT_GE(luo_fd, 0);
	session_fd = luo_create_session(luo_fd, name);
	VFIO_ASSERT_GE(session_fd, 0);
	close(luo_fd);
	return session_fd;
}

/* Preserve @fd in @session_fd as @token, the time it took as figure @key */
static void preserve_timed(int session_fd, int fd, int token, const char *key)
{
	double t = now_ms();

	VFIO_ASSERT_EQ(luo_session_preserve_fd(session_fd, fd, token), 0);
	figure(key, now_ms() - t);
}

/* The guest memory alone in a session of its own, held until the kexec */
static int stage_mem(struct bench *b)
{
	int session_fd;

	bench_memfd(b);
	session_fd = bench_session(BENCH_MEM_SESSION);
	preserve_timed(session_fd, b->memfd, MEMFD_TOKEN,
		       "preserve_memfd_alone_ms");
	fflush(stdout);
	daemonize_and_wait();
	return 0;
}

/* The next kernel: that memory back, its session left to stage 1 to finish */
static void stage_mem_retrieve(struct bench *b)
{
	int luo_fd;
	double t;

	luo_fd = luo_open_device();
	VFIO_ASSERT_GE(luo_fd, 0);
	t = now_ms();
	b->mem_session_fd = luo_retrieve_session(luo_fd, BENCH_MEM_SESSION);
	VFIO_ASSERT_GE(b->mem_session_fd, 0);
	b->memfd = luo_session_retrieve_fd(b->mem_session_fd, MEMFD_TOKEN);
	VFIO_ASSERT_GE(b->memfd, 0);
	figure("retrieve_memfd_alone_ms", now_ms() - t);
	close(luo_fd);
	bench_memfd_map(b);
}

static int stage1(const char *bdf, struct bench *b)
{
	struct iommu_hwpt_lu_set_preserve mark = {
		.size = sizeof(mark),
		.token = HWPT_TOKEN,
	};
	int session_fd;
	double t;

	if (b->memfd < 0)
		bench_memfd(b);

	b->iommu = iommu_init("iommufd");
	b->device = vfio_pci_device_init(bdf, b->iommu);
	if (b->bdf2)
		b->device2 = vfio_pci_device_init(b->bdf2, b->iommu);
	t = now_ms();
	map_file(b, b->iommu->ioas_id);
	figure("map_ms", now_ms() - t);
	if (b->mem_session_fd >= 0) {
		/* The folios pinned where the previous kernel had them */
		VFIO_ASSERT_EQ(luo_session_finish(b->mem_session_fd), 0);
		close(b->mem_session_fd);
		b->mem_session_fd = -1;
	}
	b->hwpt_id = attach_new_hwpt(b, b->iommu->ioas_id);
	bench_regions(b);
	vfio_pci_driver_init(b->device);
	if (b->device->driver.msi >= 0)
		vfio_pci_msix_disable(b->device);
	bench_dma(b, 1);

	mark.hwpt_id = b->hwpt_id;
	ioctl_assert(b->iommu->iommufd, IOMMU_HWPT_LU_SET_PRESERVE, &mark);
	session_fd = bench_session(BENCH_SESSION);
	preserve_timed(session_fd, b->memfd, MEMFD_TOKEN, "preserve_memfd_ms");
	preserve_timed(session_fd, b->iommu->iommufd, IOMMUFD_TOKEN,
		       "preserve_iommufd_ms");
	preserve_timed(session_fd, b->device->fd, DEVICE_TOKEN,
		       "preserve_device_ms");
	if (b->device2)
		preserve_timed(session_fd, b->device2->fd, DEVICE2_TOKEN,
			       "preserve_device2_ms");
	fflush(stdout);
	daemonize_and_wait();	/* a child keeps every file open */
	return 0;
}

static int stage2(const char *bdf, struct bench *b)
{
	struct iommu_hwpt_lu_reclaim reclaim = { .size = sizeof(reclaim) };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	int luo_fd, session_fd, device_fd;
	double t, t2, reclaim_ms, remap_ms;

	luo_fd = luo_open_device();
	VFIO_ASSERT_GE(luo_fd, 0);
	t = now_ms();
	session_fd = luo_retrieve_session(luo_fd, BENCH_SESSION);
	VFIO_ASSERT_GE(session_fd, 0);
	figure("retrieve_session_ms", now_ms() - t);
	b->memfd = luo_session_retrieve_fd(session_fd, MEMFD_TOKEN);
	VFIO_ASSERT_GE(b->memfd, 0);
	b->mem = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b->memfd, 0);
	VFIO_ASSERT_NE(b->mem, MAP_FAILED);
	b->iommu = iommu_init("iommufd");
	close(b->iommu->iommufd);
	b->iommu->iommufd = luo_session_retrieve_fd(session_fd, IOMMUFD_TOKEN);
	VFIO_ASSERT_GE(b->iommu->iommufd, 0);
	device_fd = luo_session_retrieve_fd(session_fd, DEVICE_TOKEN);
	VFIO_ASSERT_GE(device_fd, 0);
	b->device = vfio_pci_device_init_fd(bdf, b->iommu, device_fd);
	if (b->bdf2) {
		device_fd = luo_session_retrieve_fd(session_fd, DEVICE2_TOKEN);
		VFIO_ASSERT_GE(device_fd, 0);
		b->device2 = vfio_pci_device_init_fd(b->bdf2, b->iommu,
						     device_fd);
	}
	bench_regions(b);
	vfio_pci_driver_init(b->device);
	/*
	 * Neither is timed with what only the first DMA of a boot pays: the
	 * VMM's first touch of its mapping, and under TCG the translation of
	 * the code a DMA runs. The device still runs on the restored domain.
	 */
	bench_dma(b, 4);

	t = now_ms();
	reclaim.token = HWPT_TOKEN;
	ioctl_assert(b->iommu->iommufd, IOMMU_HWPT_LU_RECLAIM, &reclaim);
	figure("reclaim_ioctl_ms", now_ms() - t);
	attach_devices(b, reclaim.out_hwpt_id);
	t2 = now_ms();
	bench_dma(b, 2);
	figure("reclaim_dma_ms", now_ms() - t2);
	reclaim_ms = now_ms() - t;

	t = now_ms();
	ioctl_assert(b->iommu->iommufd, IOMMU_IOAS_ALLOC, &ioas);
	map_file(b, ioas.out_ioas_id);
	attach_new_hwpt(b, ioas.out_ioas_id);
	t2 = now_ms();
	bench_dma(b, 3);
	figure("remap_dma_ms", now_ms() - t2);
	remap_ms = now_ms() - t;

	figure("reclaim_ms", reclaim_ms);
	figure("remap_ms", remap_ms);
	figure("remap_over_reclaim", remap_ms / reclaim_ms);

	VFIO_ASSERT_EQ(luo_session_finish(session_fd), 0);
	vfio_pci_driver_remove(b->device);
	list_del(&b->device->driver.region.link);
	list_del(&b->buf.link);
	if (b->device2)
		vfio_pci_device_cleanup(b->device2);
	vfio_pci_device_cleanup(b->device);
	iommu_cleanup(b->iommu);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b = { .memfd = -1, .mem_session_fd = -1 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 4 || argc > 5 || strlen(argv[1]) != 1 ||
	    !strchr("mf12", argv[1][0]) || (argc == 5 && argv[1][0] == 'm')) {
		fprintf(stderr, "usage: %s m BDF MIB | %s f|1|2 BDF MIB [BDF2]\n",
			argv[0], argv[0]);
		return 2;
	}
	b.size = strtoull(argv[3], NULL, 0) << 20;
	b.bdf2 = argc == 5 ? argv[4] : NULL;
	figure("mib", b.size >> 20);
	/* The devices the IOMMU session holds: none in stage m */
	if (argv[1][0] != 'm')
		figure("devices", b.bdf2 ? 2 : 1);
	switch (argv[1][0]) {
	case 'm':
		return stage_mem(&b);
	case 'f':
		stage_mem_retrieve(&b);
		return stage1(argv[2], &b);
	case '1':
		return stage1(argv[2], &b);
	default:
		return stage2(argv[2], &b);
	}
}
