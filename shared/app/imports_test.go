package app_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// imports returns every package of the module with the module packages it
// imports (tests aside), as go list reads them.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "ohcs/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, "ohcs/") {
				pkgs[fields[0]] = append(pkgs[fields[0]], imp)
			}
		}
		if _, ok := pkgs[fields[0]]; !ok {
			pkgs[fields[0]] = nil
		}
	}
	if len(pkgs) < 50 {
		t.Fatalf("only %d packages listed", len(pkgs))
	}
	return pkgs
}

// handler reports whether a package serves a domain over HTTP (the
// Lambda adapter is not a domain's).
func handler(pkg string) bool {
	return strings.HasPrefix(pkg, "ohcs/shared/") && strings.HasSuffix(pkg, "http") && !strings.HasPrefix(pkg, "ohcs/shared/lambdahttp")
}

// TestHandlerPackagesImportNoOtherHandlers: a handler package translates
// HTTP for its domain; what it needs of others comes from the composition
// root, never from another handler package. The root imports none.
func TestHandlerPackagesImportNoOtherHandlers(t *testing.T) {
	pkgs := imports(t)
	handlers := 0
	for pkg, deps := range pkgs {
		if handler(pkg) {
			handlers++
		}
		if !handler(pkg) && pkg != "ohcs/shared/app" {
			continue
		}
		for _, d := range deps {
			if handler(d) {
				t.Errorf("%s imports the handler package %s", pkg, d)
			}
		}
	}
	if handlers < 9 {
		t.Errorf("found %d handler packages; want every domain's", handlers)
	}
}

// The declared kernel: the packages every domain may use. Everything else
// under shared/ that is not infrastructure below is a domain.
var (
	kernel         = []string{"access", "audit", "outbox"}
	infrastructure = []string{"app", "auth", "config", "cursor", "dynamo", "etag", "idempotency", "jsonio", "lambdahttp",
		"logging", "operations", "page", "paging", "platform", "problem", "ratelimit", "tables", "textfold", "validate"}
)

// area returns the first element of a package's path under shared/ ("" for
// a package outside it).
func area(pkg string) string {
	rest, ok := strings.CutPrefix(pkg, "ohcs/shared/")
	if !ok {
		return ""
	}
	first, _, _ := strings.Cut(rest, "/")
	return first
}

func isDomain(a string) bool {
	return a != "" && !slices.Contains(kernel, a) && !slices.Contains(infrastructure, a)
}

// TestDomainsImportOnlyTheKernel: no domain imports another (its
// subpackages included); what one needs of another is an interface it
// declares, which the composition root implements. The kernel imports no
// domain, and no infrastructure but the root and the operation registry
// does.
func TestDomainsImportOnlyTheKernel(t *testing.T) {
	domains := map[string]bool{}
	for pkg, deps := range imports(t) {
		from := area(pkg)
		if from == "" {
			continue
		}
		if isDomain(from) {
			domains[from] = true
		}
		for _, d := range deps {
			to := area(d)
			if !isDomain(to) || to == from {
				continue
			}
			switch {
			case isDomain(from):
				t.Errorf("the %s domain imports the %s domain: %s -> %s", from, to, pkg, d)
			case slices.Contains(kernel, from):
				t.Errorf("the kernel imports a domain: %s -> %s", pkg, d)
			case from != "app" && from != "operations":
				t.Errorf("infrastructure imports a domain: %s -> %s", pkg, d)
			}
		}
	}
	if len(domains) < 10 {
		t.Errorf("found the domains %v; want every one", domains)
	}
}

// TestHandlersTouchNoStore: a handler package holds services and the
// narrow interfaces it declares; it names no store (no Store field or
// type of any package, no store adapter package).
func TestHandlersTouchNoStore(t *testing.T) {
	for pkg, deps := range imports(t) {
		if !handler(pkg) {
			continue
		}
		for _, d := range deps {
			if strings.HasSuffix(d, "db") {
				t.Errorf("%s imports the store package %s", pkg, d)
			}
		}
	}
	files, err := filepath.Glob(filepath.Join("..", "*", "*http", "*.go"))
	if err != nil || len(files) < 10 {
		t.Fatalf("handler files: %d, %v", len(files), err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.Contains(f, "lambdahttp") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Store" {
				t.Errorf("%s names a store", fset.Position(sel.Pos()))
			}
			return true
		})
	}
}

// TestHandlersAndServicesHaveTests: every handler package and every
// domain's own package (its types, its Service) has tests of its own, not
// only the end-to-end suite's.
func TestHandlersAndServicesHaveTests(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{len .TestGoFiles}} {{len .XTestGoFiles}}", "ohcs/shared/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var pkg string
		var in, ext int
		if _, err := fmt.Sscan(line, &pkg, &in, &ext); err != nil {
			t.Fatalf("go list line %q: %v", line, err)
		}
		if !handler(pkg) && !(isDomain(area(pkg)) && pkg == "ohcs/shared/"+area(pkg)) {
			continue
		}
		checked++
		if in+ext == 0 {
			t.Errorf("%s has no tests of its own", pkg)
		}
	}
	if checked < 20 {
		t.Errorf("only %d handler and domain packages checked", checked)
	}
}

// TestHandlersNeitherWriteErrorsNorCheckRoles: handler packages return
// their errors (platform.Handle writes them) and never check roles
// (auth.Guard checks the document's, generated in auth.Operations).
func TestHandlersNeitherWriteErrorsNorCheckRoles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "*", "*http", "*.go"))
	if err != nil || len(files) < 9 {
		t.Fatalf("handler files: %d, %v", len(files), err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.Contains(f, "lambdahttp") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range []string{"problem.Write(", "auth.Require("} {
			if strings.Contains(string(src), call) {
				t.Errorf("%s calls %s", f, call)
			}
		}
	}
}

// TestFunctionsLinkNoProbes: what instruments a store for tests and the
// local server (request counts, injected faults, grant checks, the
// embedded store) is never linked into a deployed function.
func TestFunctionsLinkNoProbes(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "ohcs/functions/...", "ohcs/events/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 100 {
		t.Fatalf("only %d dependencies listed", len(deps))
	}
	for _, d := range deps {
		for _, probe := range []string{"ohcs/shared/dynamo/dynamoprobe", "ohcs/shared/dynamo/dynamotest", "github.com/truora/minidyn", "ohcs/local"} {
			if d == probe || strings.HasPrefix(d, probe+"/") {
				t.Errorf("a deployed function links %s", d)
			}
		}
	}
}

// TestFunctionsLinkNoDefaultChain: every function, operation or event,
// takes its role's credentials from the variables Lambda sets; the SDK's
// default chain, with its STS, SSO and instance-metadata clients, is not
// linked.
func TestFunctionsLinkNoDefaultChain(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "ohcs/functions/...", "ohcs/events/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, d := range strings.Fields(string(out)) {
		for _, chain := range []string{"github.com/aws/aws-sdk-go-v2/config", "github.com/aws/aws-sdk-go-v2/service/sts", "github.com/aws/aws-sdk-go-v2/service/sso", "github.com/aws/aws-sdk-go-v2/feature/ec2/imds"} {
			if d == chain {
				t.Errorf("a function links %s", d)
			}
		}
	}
}

// TestNoSourceFileOver500Lines: a file past 500 lines is doing more than
// one thing (generated and test files aside).
func TestNoSourceFileOver500Lines(t *testing.T) {
	n := 0
	err := filepath.WalkDir(filepath.Join("..", ".."), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "tools", "node_modules", "cdk.out", "build", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "_gen.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		if lines := strings.Count(string(src), "\n"); lines > 500 {
			t.Errorf("%s has %d lines", path, lines)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("only %d source files read", n)
	}
}
