// SPDX-License-Identifier: GPL-2.0
/*
 * lu-demo: a VMM in miniature.  A VFIO device (the igb NIC, driven by the
 * vfio selftest library's igb driver) does DMA through iommufd into a memfd;
 * the memfd goes into a LUO session; the guest live-update kexecs; the new
 * kernel hands the memfd back and the device does DMA again.
 *
 * usage: lu-demo 1|2 BDF
 *
 * Each step prints one "# DEMO:" line.  Exit status 0 only if every check
 * held.  What the series does not preserve yet is said, not hidden.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/memfd.h>
#include <unistd.h>

#include <linux/sizes.h>

#include <libvfio.h>
#include <libliveupdate.h>

#define DEMO_SESSION	"lu-demo"
#define DEMO_TOKEN	1
#define BUF_SIZE	SZ_4M
#define COPY_SIZE	SZ_1M

#define say(fmt, ...) printf("# DEMO: " fmt "\n", ##__VA_ARGS__)

static void pattern(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed + (i >> 12));
}

static int check(const unsigned char *p, size_t n, unsigned int seed)
{
	unsigned char *want = malloc(n);
	int ok;

	pattern(want, n, seed);
	ok = !memcmp(p, want, n);
	free(want);
	return ok;
}

struct demo {
	struct iommu *iommu;
	struct vfio_pci_device *device;
	struct iova_allocator *iovas;
	struct dma_region buf;
	int memfd;
};

/* Open the device through its cdev + iommufd and map the memfd buffer. */
static void demo_setup(struct demo *d, const char *bdf, int memfd)
{
	struct vfio_pci_driver *drv;
	void *scratch;

	d->iommu = iommu_init("iommufd");
	d->device = vfio_pci_device_init(bdf, d->iommu);
	d->iovas = iova_allocator_init(d->iommu);
	say("%s opened through /dev/vfio/devices, bound to iommufd (IOAS %u)",
	    bdf, d->iommu->ioas_id);

	d->memfd = memfd;
	d->buf.vaddr = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	VFIO_ASSERT_NE(d->buf.vaddr, MAP_FAILED);
	d->buf.size = BUF_SIZE;
	d->buf.iova = iova_allocator_alloc(d->iovas, BUF_SIZE);
	iommu_map(d->iommu, &d->buf);
	say("memfd (%d MiB) mapped at IOVA 0x%llx through VT-d", BUF_SIZE >> 20,
	    (unsigned long long)d->buf.iova);

	drv = &d->device->driver;
	scratch = mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	VFIO_ASSERT_NE(scratch, MAP_FAILED);
	drv->region.vaddr = scratch;
	drv->region.size = SZ_2M;
	drv->region.iova = iova_allocator_alloc(d->iovas, SZ_2M);
	iommu_map(d->iommu, &drv->region);
	vfio_pci_driver_init(d->device);
}

static void demo_teardown(struct demo *d)
{
	vfio_pci_driver_remove(d->device);
	vfio_pci_device_cleanup(d->device);
	iova_allocator_cleanup(d->iovas);
	iommu_cleanup(d->iommu);
}

/* The device copies the first COPY_SIZE bytes to the second half of buf. */
static int demo_dma(struct demo *d, unsigned int seed)
{
	unsigned char *src = d->buf.vaddr, *dst = src + BUF_SIZE / 2;

	pattern(src, COPY_SIZE, seed);
	memset(dst, 0, COPY_SIZE);
	if (vfio_pci_driver_memcpy(d->device, d->buf.iova, d->buf.iova + BUF_SIZE / 2,
				   COPY_SIZE))
		return 0;
	if (!check(dst, COPY_SIZE, seed))
		return 0;
	say("device DMA: copied %d KiB from IOVA 0x%llx to 0x%llx, data verified",
	    COPY_SIZE >> 10, (unsigned long long)d->buf.iova,
	    (unsigned long long)(d->buf.iova + BUF_SIZE / 2));
	return 1;
}

static int stage1(const char *bdf)
{
	struct demo d = {};
	int memfd, luo_fd, session_fd;

	memfd = memfd_create("lu-demo", MFD_ALLOW_SEALING);
	VFIO_ASSERT_GE(memfd, 0);
	VFIO_ASSERT_EQ(ftruncate(memfd, BUF_SIZE), 0);
	VFIO_ASSERT_EQ(fcntl(memfd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL), 0);

	demo_setup(&d, bdf, memfd);
	if (!demo_dma(&d, 1)) {
		say("FAIL: device DMA before the kexec");
		return 1;
	}

	luo_fd = luo_open_device();
	VFIO_ASSERT_GE(luo_fd, 0);
	session_fd = luo_create_session(luo_fd, DEMO_SESSION);
	VFIO_ASSERT_GE(session_fd, 0);
	VFIO_ASSERT_EQ(luo_session_preserve_fd(session_fd, memfd, DEMO_TOKEN), 0);
	say("memfd preserved in LUO session '%s' (token %d)", DEMO_SESSION, DEMO_TOKEN);
	say("not preserved yet by this series: the iommufd, the VFIO device and its VT-d tables;");
	say("the device is quiesced and closed before the kexec");

	demo_teardown(&d);
	close(luo_fd);
	fflush(stdout);
	daemonize_and_wait();	/* a child keeps the session open across kexec */
	return 0;
}

static int stage2(const char *bdf)
{
	struct demo d = {};
	int luo_fd, session_fd, memfd;
	unsigned char *p;

	say("new kernel: retrieving LUO session '%s'", DEMO_SESSION);
	luo_fd = luo_open_device();
	VFIO_ASSERT_GE(luo_fd, 0);
	session_fd = luo_retrieve_session(luo_fd, DEMO_SESSION);
	VFIO_ASSERT_GE(session_fd, 0);
	memfd = luo_session_retrieve_fd(session_fd, DEMO_TOKEN);
	VFIO_ASSERT_GE(memfd, 0);

	p = mmap(NULL, BUF_SIZE, PROT_READ, MAP_SHARED, memfd, 0);
	VFIO_ASSERT_NE(p, MAP_FAILED);
	if (!check(p + BUF_SIZE / 2, COPY_SIZE, 1)) {
		say("FAIL: the data the device wrote before the kexec is not in the memfd");
		return 1;
	}
	say("the data the device wrote before the kexec is intact in the retrieved memfd");
	munmap(p, BUF_SIZE);

	demo_setup(&d, bdf, memfd);
	if (!demo_dma(&d, 2)) {
		say("FAIL: device DMA after the kexec");
		return 1;
	}
	demo_teardown(&d);
	VFIO_ASSERT_EQ(luo_session_finish(session_fd), 0);
	say("LUO session finished");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3 || (strcmp(argv[1], "1") && strcmp(argv[1], "2"))) {
		fprintf(stderr, "usage: %s 1|2 BDF\n", argv[0]);
		return 2;
	}
	return argv[1][0] == '1' ? stage1(argv[2]) : stage2(argv[2]);
}
