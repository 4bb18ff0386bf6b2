// The Coordinator service lands in a later issue; this target exists so the layout compiles (see docs/ARCHITECTURE.md).
