// SPDX-License-Identifier: GPL-2.0
/*
 * lu-dma-canary: does a DMA of QEMU's edu device reach host memory?
 *
 * usage: lu-dma-canary [-m] [-x] BDF
 *
 * Drives the edu function BDF through its BAR (sysfs resource0), bypassing
 * every driver, as a device left programmed by a VM would: it asks the
 * device to copy its 4 KiB buffer to the host physical address of a page
 * of this process filled with a canary, waits for the copy to finish, and
 * checks the canary. Bus mastering is left as found unless -m sets it.
 *
 * Exit status: 0 if the canary is intact (the DMA was blocked), 1 if the
 * DMA landed; -x inverts this (the DMA is expected to land: a positive
 * control showing that a DMA which is not blocked is seen); 2 on error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define EDU_BAR_SIZE		0x100000
#define EDU_ID			0x00
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define  EDU_DMA_RUN		0x1
#define  EDU_DMA_TO_MEMORY	0x2
#define EDU_BUFFER		0x40000
#define CANARY			0x5a
#define PAGE			4096
#define PCI_COMMAND		0x04
#define  PCI_COMMAND_MASTER	0x4

static int config_rw(const char *bdf, int write, uint16_t *cmd)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, write ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return -errno;
	ret = write ? pwrite(fd, cmd, 2, PCI_COMMAND) :
		      pread(fd, cmd, 2, PCI_COMMAND);
	close(fd);
	return ret == 2 ? 0 : -EIO;
}

/* Physical address of the page at @p, which must be resident */
static uint64_t phys_of(void *p)
{
	uint64_t entry;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t off = (uintptr_t)p / PAGE * sizeof(entry);

	if (fd < 0 || pread(fd, &entry, sizeof(entry), off) != sizeof(entry))
		return 0;
	close(fd);
	if (!(entry >> 63))
		return 0;
	return (entry & ((1ULL << 55) - 1)) * PAGE;
}

int main(int argc, char **argv)
{
	int set_master = 0, expect_landing = 0, opt, fd, i, landed = 0;
	volatile uint64_t *bar64;
	volatile uint32_t *bar32;
	const char *bdf;
	char path[128];
	uint16_t cmd;
	uint8_t *page;
	uint64_t phys;
	void *bar;

	while ((opt = getopt(argc, argv, "mx")) != -1) {
		if (opt == 'm')
			set_master = 1;
		else if (opt == 'x')
			expect_landing = 1;
		else
			return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: lu-dma-canary [-m] [-x] BDF\n");
		return 2;
	}
	bdf = argv[optind];

	if (config_rw(bdf, 0, &cmd)) {
		fprintf(stderr, "cannot read the config space of %s\n", bdf);
		return 2;
	}
	printf("# %s: bus mastering %s\n", bdf,
	       cmd & PCI_COMMAND_MASTER ? "on" : "off");
	if (set_master && !(cmd & PCI_COMMAND_MASTER)) {
		cmd |= PCI_COMMAND_MASTER;
		if (config_rw(bdf, 1, &cmd))
			return 2;
		printf("# %s: bus mastering set\n", bdf);
	}

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", bdf);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		perror(path);
		return 2;
	}
	bar = mmap(NULL, EDU_BAR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (bar == MAP_FAILED) {
		perror("mmap resource0");
		return 2;
	}
	bar32 = bar;
	bar64 = bar;
	if ((bar32[EDU_ID / 4] & 0xff) != 0xed) {
		fprintf(stderr, "%s is not an edu device (id %#x)\n", bdf,
			bar32[EDU_ID / 4]);
		return 2;
	}

	page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	if (page == MAP_FAILED)
		return 2;
	memset(page, CANARY, PAGE);
	phys = phys_of(page);
	if (!phys) {
		fprintf(stderr, "no physical address for the canary page\n");
		return 2;
	}
	printf("# canary page at host physical %#llx\n",
	       (unsigned long long)phys);

	/* The buffer's 4 KiB to the canary page, as a VM's driver would */
	bar64[EDU_DMA_SRC / 8] = EDU_BUFFER;
	bar64[EDU_DMA_DST / 8] = phys;
	bar64[EDU_DMA_COUNT / 8] = PAGE;
	bar64[EDU_DMA_CMD / 8] = EDU_DMA_RUN | EDU_DMA_TO_MEMORY;
	/* edu runs it 100 ms later, from a timer */
	for (i = 0; i < 100 && (bar64[EDU_DMA_CMD / 8] & EDU_DMA_RUN); i++)
		usleep(10000);
	if (bar64[EDU_DMA_CMD / 8] & EDU_DMA_RUN) {
		fprintf(stderr, "the DMA did not finish\n");
		return 2;
	}
	usleep(10000);

	for (i = 0; i < PAGE; i++)
		if (page[i] != CANARY)
			landed++;
	if (landed)
		printf("# DMA LANDED: %d bytes of the host page changed\n",
		       landed);
	else
		printf("# canary intact: the DMA did not reach host memory\n");
	return expect_landing ? !landed : !!landed;
}
