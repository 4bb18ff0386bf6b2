// Telemetry: structured logging helpers shared by every service.
