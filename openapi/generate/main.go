// Command generate writes the code generated from the OpenAPI document:
// the roles of each operation (openapi.RolesFile) and the operations that
// take an Idempotency-Key (openapi.KeyedFile). Run from the module's
// root: go run ./openapi/generate (make generate).
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/openapi"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		return err
	}
	for file, source := range openapi.Generated {
		src, err := source(doc)
		if err != nil {
			return err
		}
		if err := os.WriteFile(file, src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
