// SPDX-License-Identifier: GPL-2.0
/*
 * lu-kexec: load a kernel with kexec_file_load() and reboot into it.
 *
 * The guest has no kexec-tools; this is the small static helper the test
 * init uses for a live-update kexec.  The new kernel gets the current
 * command line with the given words appended.
 *
 * usage: lu-kexec KERNEL INITRD [EXTRA-CMDLINE]
 *        lu-kexec tsc        (print the time stamp counter)
 *
 * The TSC keeps counting across a kexec (it is no reset), so the TSC
 * printed just before the reboot and the one at the start of the next
 * stage give the time the kexec took, from reboot() to the new init.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CMDLINE_MAX 2048

static unsigned long long rdtsc(void)
{
	unsigned int lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long long)hi << 32 | lo;
}

static int read_cmdline(char *buf, size_t size)
{
	ssize_t len;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = 0;
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = 0;
	return 0;
}

int main(int argc, char **argv)
{
	char cmdline[CMDLINE_MAX];
	int kernel_fd, initrd_fd;

	if (argc == 2 && !strcmp(argv[1], "tsc")) {
		printf("%llu\n", rdtsc());
		return 0;
	}
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s KERNEL INITRD [EXTRA-CMDLINE]\n", argv[0]);
		return 2;
	}
	if (read_cmdline(cmdline, sizeof(cmdline))) {
		perror("lu-kexec: /proc/cmdline");
		return 1;
	}
	if (argc == 4) {
		if (strlen(cmdline) + strlen(argv[3]) + 2 > sizeof(cmdline)) {
			fprintf(stderr, "lu-kexec: command line too long\n");
			return 1;
		}
		strcat(cmdline, " ");
		strcat(cmdline, argv[3]);
	}

	kernel_fd = open(argv[1], O_RDONLY);
	if (kernel_fd < 0) {
		perror(argv[1]);
		return 1;
	}
	initrd_fd = open(argv[2], O_RDONLY);
	if (initrd_fd < 0) {
		perror(argv[2]);
		return 1;
	}
	if (syscall(__NR_kexec_file_load, kernel_fd, initrd_fd,
		    strlen(cmdline) + 1, cmdline, 0UL)) {
		perror("lu-kexec: kexec_file_load");
		return 1;
	}
	close(initrd_fd);
	close(kernel_fd);

	printf("lu-kexec: loaded %s, rebooting with: %s\n", argv[1], cmdline);
	sync();
	printf("lu-kexec: tsc %llu\n", rdtsc());
	fflush(stdout);
	reboot(RB_KEXEC);
	perror("lu-kexec: reboot(RB_KEXEC)");
	return 1;
}
