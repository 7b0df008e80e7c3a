# make dist: the release artefacts in dist/ (deploy/dist.sh says which):
# the source tarball, the Linux binaries, the Windows zip for customers,
# SHA256SUMS. Included by the top Makefile; builds what it packs first.
.PHONY: dist
dist: all windows
	@sh deploy/dist.sh
