// The npm tools live here; this file keeps their folder out of the Go module.
module ohcs/tools

go 1.26
