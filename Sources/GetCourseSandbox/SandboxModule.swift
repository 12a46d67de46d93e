// The GetCourse sandbox: a loopback HTTP server that behaves like the import API (see DESIGN.md).
