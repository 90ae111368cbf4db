"""Running the stages over files: one loader, settings, jobs, executors, the build, the preview."""
