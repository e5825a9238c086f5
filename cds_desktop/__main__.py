import sys

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        # The background jobs' worker processes ('spawn'): in the frozen app the executable
        # itself is started as a worker, and must become one here instead of opening a window.
        # (From source, a worker starts through multiprocessing's own entry point instead.)
        import multiprocessing

        multiprocessing.freeze_support()

    from cds_desktop.cli import run

    sys.exit(run())
