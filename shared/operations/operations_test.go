package operations_test

import (
	"context"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"ohcs/openapi"
	"ohcs/shared/operations"
)

func kebab(op string) string { return operations.Folder(op) }

// TestOperationsAgree checks that the operation ids of the OpenAPI
// document, the registered handlers and the function folders are one set,
// and that each function's main serves its own operation.
func TestOperationsAgree(t *testing.T) {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var inDoc []string
	pages := map[string]bool{}
	for _, op := range openapi.Operations(doc) {
		inDoc = append(inDoc, op.ID)
		pages[op.ID] = op.Pages
	}
	slices.Sort(inDoc)

	reg := operations.All()
	var registered []string
	for op := range reg {
		registered = append(registered, op)
	}
	slices.Sort(registered)
	if !slices.Equal(inDoc, registered) {
		t.Errorf("registered handlers: got %v; want the document's %v", registered, inDoc)
	}

	root := filepath.Join("..", "..", "functions")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var folders []string
	for _, e := range entries {
		if e.IsDir() {
			folders = append(folders, e.Name())
		}
	}
	var want []string
	for _, op := range inDoc {
		want = append(want, kebab(op))
	}
	slices.Sort(want)
	if !slices.Equal(folders, want) {
		t.Errorf("function folders: got %v; want %v", folders, want)
	}

	for _, op := range inDoc {
		path := filepath.Join(root, kebab(op), "main.go")
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		found := false
		for _, lit := range literals(path) {
			if lit == op {
				found = true
			}
		}
		if !found || f.Name.Name != "main" {
			t.Errorf("%s does not start operation %s", path, op)
		}
		// A function links its own operation only: its main names that
		// operation's constructor, not a domain's registry.
		if src, _ := os.ReadFile(path); !strings.Contains(string(src), "."+strings.ToUpper(op[:1])+op[1:]+"()") || strings.Contains(string(src), "Registry") {
			t.Errorf("%s does not run %s's own constructor alone", path, op)
		}
		// The cursor key's source (and the Secrets Manager client behind
		// it) is linked into the functions of the operations that page, and
		// only those: a list without it could not page, another operation
		// with it would start the client at every cold start for nothing.
		if src, _ := os.ReadFile(path); strings.Contains(string(src), "cursorsecret.Sealer") != pages[op] {
			t.Errorf("%s: names cursorsecret.Sealer %v; want %v, as the operation takes the Cursor parameter or not",
				path, strings.Contains(string(src), "cursorsecret.Sealer"), pages[op])
		}
	}
	if n := len(slices.DeleteFunc(slices.Clone(inDoc), func(op string) bool { return !pages[op] })); n == 0 {
		t.Error("no operation takes the Cursor parameter: the document's parameter has moved")
	}
}

var stringLit = regexp.MustCompile(`"([A-Za-z]+)"`)

func literals(path string) []string {
	src, _ := os.ReadFile(path)
	var out []string
	for _, m := range stringLit.FindAllStringSubmatch(string(src), -1) {
		s, _ := strconv.Unquote(`"` + m[1] + `"`)
		out = append(out, s)
	}
	return out
}
