"""Model-free helpers any app may import (docs/architecture.md): bilingual reference data,
SVG chart drawing, dated querysets, admin mixins, form-error helpers. Imports no app."""
