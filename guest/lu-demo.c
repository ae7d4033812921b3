// SPDX-License-Identifier: GPL-2.0
/*
 * lu-demo: a VMM in miniature.  A VFIO device (the igb NIC, driven by the
 * vfio selftest library's igb driver) does DMA through iommufd into guest
 * memory (a sealed memfd); the memfd, the iommufd and the device cdev go
 * into a LUO session; the guest live-update kexecs while the device stays
 * live; in the new kernel the VMM takes everything back, the device does
 * DMA through the same IOVAs with the translation the old kernel set up,
 * then through a new HWPT, and the session is finished.
 *
 * usage: lu-demo 1|2 BDF
 *
 * Each step prints one "# DEMO:" line.  Exit status 0 only if every check
 * held.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/memfd.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/sizes.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>

#include <libvfio.h>
#include <libliveupdate.h>

#define DEMO_SESSION	"lu-demo"
#define MEMFD_TOKEN	1
#define IOMMUFD_TOKEN	2
#define DEVICE_TOKEN	3
#define HWPT_TOKEN	0x1234
#define DRIVER_SIZE	SZ_2M
#define BUF_SIZE	SZ_4M
#define MEMFD_SIZE	(DRIVER_SIZE + BUF_SIZE)
#define COPY_SIZE	SZ_1M
/* The IOVAs the guest memory lives at, on both sides of the kexec */
#define DRIVER_IOVA	0x100000000ULL
#define BUF_IOVA	(DRIVER_IOVA + DRIVER_SIZE)

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
	struct dma_region buf;
	unsigned char *mem;
	int memfd;
	__u32 hwpt_id;
};

/* Map part of the memfd at @iova in the IOAS, by file (preservable) */
static void map_file(struct demo *d, __u64 offset, __u64 size, __u64 iova)
{
	struct iommu_ioas_map_file map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = d->iommu->ioas_id,
		.fd = d->memfd,
		.start = offset,
		.length = size,
		.iova = iova,
	};

	ioctl_assert(d->iommu->iommufd, IOMMU_IOAS_MAP_FILE, &map);
}

/* A paging HWPT of our own on the IOAS, the device attached to it */
static void attach_new_hwpt(struct demo *d)
{
	struct iommu_hwpt_alloc alloc = {
		.size = sizeof(alloc),
		.dev_id = d->device->iommufd_dev_id,
		.pt_id = d->iommu->ioas_id,
	};
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
	};

	ioctl_assert(d->iommu->iommufd, IOMMU_HWPT_ALLOC, &alloc);
	d->hwpt_id = alloc.out_hwpt_id;
	attach.pt_id = d->hwpt_id;
	ioctl_assert(d->device->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach);
}

/* The guest memory as the driver sees it: descriptors, then the buffer */
static void demo_regions(struct demo *d)
{
	struct dma_region *drv = &d->device->driver.region;

	drv->vaddr = d->mem;
	drv->size = DRIVER_SIZE;
	drv->iova = DRIVER_IOVA;
	d->buf.vaddr = d->mem + DRIVER_SIZE;
	d->buf.size = BUF_SIZE;
	d->buf.iova = BUF_IOVA;
	list_add(&drv->link, &d->iommu->dma_regions);
	list_add(&d->buf.link, &d->iommu->dma_regions);
}

static void demo_teardown(struct demo *d)
{
	vfio_pci_driver_remove(d->device);
	list_del(&d->device->driver.region.link);
	list_del(&d->buf.link);
	vfio_pci_device_cleanup(d->device);
	iommu_cleanup(d->iommu);
}

/* The device copies the first COPY_SIZE bytes to the second half of buf. */
static int demo_dma(struct demo *d, unsigned int seed, const char *how)
{
	unsigned char *src = d->buf.vaddr, *dst = src + BUF_SIZE / 2;

	pattern(src, COPY_SIZE, seed);
	memset(dst, 0, COPY_SIZE);
	if (vfio_pci_driver_memcpy(d->device, d->buf.iova, d->buf.iova + BUF_SIZE / 2,
				   COPY_SIZE))
		return 0;
	if (!check(dst, COPY_SIZE, seed))
		return 0;
	say("device DMA %s: %d KiB from IOVA 0x%llx to 0x%llx, data verified", how,
	    COPY_SIZE >> 10, (unsigned long long)d->buf.iova,
	    (unsigned long long)(d->buf.iova + BUF_SIZE / 2));
	return 1;
}

static const char *dmesg_line(const char *what)
{
	static char line[512];
	FILE *f = popen("dmesg", "r");
	const char *found = NULL;

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, what)) {
			line[strcspn(line, "\n")] = 0;
			found = strchr(line, ']') ? strchr(line, ']') + 2 : line;
			break;
		}
	pclose(f);
	return found;
}

static int stage1(const char *bdf)
{
	struct iommu_hwpt_lu_set_preserve mark = {
		.size = sizeof(mark),
		.token = HWPT_TOKEN,
	};
	struct demo d = {};
	int luo_fd, session_fd;

	d.memfd = memfd_create("lu-demo", MFD_ALLOW_SEALING);
	VFIO_ASSERT_GE(d.memfd, 0);
	VFIO_ASSERT_EQ(ftruncate(d.memfd, MEMFD_SIZE), 0);
	VFIO_ASSERT_EQ(fcntl(d.memfd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL), 0);
	d.mem = mmap(NULL, MEMFD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, d.memfd, 0);
	VFIO_ASSERT_NE(d.mem, MAP_FAILED);

	d.iommu = iommu_init("iommufd");
	d.device = vfio_pci_device_init(bdf, d.iommu);
	say("%s opened through /dev/vfio/devices, bound to iommufd", bdf);
	map_file(&d, 0, MEMFD_SIZE, DRIVER_IOVA);
	attach_new_hwpt(&d);
	say("guest memory: sealed memfd (%d MiB) mapped at IOVA 0x%llx, device on HWPT %u",
	    MEMFD_SIZE >> 20, DRIVER_IOVA, d.hwpt_id);
	demo_regions(&d);
	vfio_pci_driver_init(d.device);
	if (d.device->driver.msi >= 0)
		vfio_pci_msix_disable(d.device);
	if (!demo_dma(&d, 1, "before the kexec"))
		return say("FAIL: device DMA before the kexec"), 1;

	mark.hwpt_id = d.hwpt_id;
	ioctl_assert(d.iommu->iommufd, IOMMU_HWPT_LU_SET_PRESERVE, &mark);
	luo_fd = luo_open_device();
	VFIO_ASSERT_GE(luo_fd, 0);
	session_fd = luo_create_session(luo_fd, DEMO_SESSION);
	VFIO_ASSERT_GE(session_fd, 0);
	VFIO_ASSERT_EQ(luo_session_preserve_fd(session_fd, d.memfd, MEMFD_TOKEN), 0);
	VFIO_ASSERT_EQ(luo_session_preserve_fd(session_fd, d.iommu->iommufd, IOMMUFD_TOKEN), 0);
	VFIO_ASSERT_EQ(luo_session_preserve_fd(session_fd, d.device->fd, DEVICE_TOKEN), 0);
	say("preserved in LUO session '%s': memfd, iommufd (HWPT %u, token 0x%x), device cdev",
	    DEMO_SESSION, d.hwpt_id, HWPT_TOKEN);
	say("the device stays live (not reset, bus mastering on) across the kexec");

	close(luo_fd);
	fflush(stdout);
	daemonize_and_wait();	/* a child keeps every file open across the kexec */
	return 0;
}

static int stage2(const char *bdf)
{
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct demo d = {};
	int luo_fd, session_fd, device_fd;
	const char *line;

	line = dmesg_line("adopted from the previous kernel");
	say("new kernel: %s", line ? line : "VT-d unit NOT adopted");
	line = dmesg_line("attached to its restored domain");
	say("%s", line ? line : "device NOT attached to a restored domain");
	if (dmesg_line("DMAR: [DMA"))
		return say("FAIL: DMAR fault in the log"), 1;

	luo_fd = luo_open_device();
	VFIO_ASSERT_GE(luo_fd, 0);
	session_fd = luo_retrieve_session(luo_fd, DEMO_SESSION);
	VFIO_ASSERT_GE(session_fd, 0);
	d.memfd = luo_session_retrieve_fd(session_fd, MEMFD_TOKEN);
	VFIO_ASSERT_GE(d.memfd, 0);
	d.mem = mmap(NULL, MEMFD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, d.memfd, 0);
	VFIO_ASSERT_NE(d.mem, MAP_FAILED);
	if (!check(d.mem + DRIVER_SIZE + BUF_SIZE / 2, COPY_SIZE, 1))
		return say("FAIL: the data the device wrote before the kexec is not in the memfd"), 1;
	say("retrieved the memfd: the data the device wrote before the kexec is intact");

	d.iommu = iommu_init("iommufd");
	close(d.iommu->iommufd);
	d.iommu->iommufd = luo_session_retrieve_fd(session_fd, IOMMUFD_TOKEN);
	VFIO_ASSERT_GE(d.iommu->iommufd, 0);
	ioctl_assert(d.iommu->iommufd, IOMMU_IOAS_ALLOC, &ioas);
	d.iommu->ioas_id = ioas.out_ioas_id;
	device_fd = luo_session_retrieve_fd(session_fd, DEVICE_TOKEN);
	VFIO_ASSERT_GE(device_fd, 0);
	d.device = vfio_pci_device_init_fd(bdf, d.iommu, device_fd);
	say("retrieved the iommufd and the device, device bound: still on its restored domain");
	demo_regions(&d);
	vfio_pci_driver_init(d.device);
	if (!demo_dma(&d, 2, "through the restored domain (the old kernel's tables)"))
		return say("FAIL: device DMA through the restored domain"), 1;

	map_file(&d, 0, MEMFD_SIZE, DRIVER_IOVA);
	attach_new_hwpt(&d);
	line = dmesg_line("restored domain 1 released");
	say("memfd mapped again at IOVA 0x%llx, device moved to new HWPT %u (%s)",
	    DRIVER_IOVA, d.hwpt_id, line ? "old tables freed" : "old tables NOT freed");
	if (!demo_dma(&d, 3, "through the new HWPT"))
		return say("FAIL: device DMA through the new HWPT"), 1;

	VFIO_ASSERT_EQ(luo_session_finish(session_fd), 0);
	say("LUO session finished");
	demo_teardown(&d);
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
