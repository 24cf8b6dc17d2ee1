from bundler.cli.main import run

raise SystemExit(run())
