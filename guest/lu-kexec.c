// SPDX-License-Identifier: GPL-2.0
/*
 * lu-kexec: load a kernel with kexec_file_load() and reboot into it.
 *
 * The guest has no kexec-tools; this is the small static helper the test
 * init uses for a live-update kexec.  The new kernel gets the current
 * command line with the given words appended.
 *
 * usage: lu-kexec KERNEL INITRD [EXTRA-CMDLINE]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CMDLINE_MAX 2048

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
	fflush(stdout);
	sync();
	reboot(RB_KEXEC);
	perror("lu-kexec: reboot(RB_KEXEC)");
	return 1;
}
