# ky — the README's two commands: `make run` and `make test`.
# All real work is in scripts/ky.sh so it can also be run directly.
.PHONY: install run test worker lint
install:
	@bash scripts/ky.sh install
run:
	@bash scripts/ky.sh run
test:
	@bash scripts/ky.sh test $(ARGS)
worker:
	@bash scripts/ky.sh worker
