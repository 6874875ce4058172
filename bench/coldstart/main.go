// Command coldstart measures the cold start of every operation's function
// under the Lambda runtime interface emulator: each function is built for
// this machine with the deployment's flags, started fresh several times
// and invoked once; the emulator's INIT REPORT gives the init duration.
// The minimal Go function (bench/floor) is measured the same way. It
// prints a Markdown section for bench/results.md.
package main

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/local/lambdamode"
)

func main() {
	rie := flag.String("rie", "build/bin/aws-lambda-rie", "the runtime interface emulator")
	runs := flag.Int("runs", 3, "cold starts per function")
	flag.Parse()
	if err := run(*rie, *runs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(rie string, runs int) error {
	ctx := context.Background()
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "coldstart")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	floor := filepath.Join(dir, "floor", "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", floor, "./bench/floor")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("build the floor: %v: %s", err, out)
	}
	builder := &lambdamode.Builder{Dir: dir, Root: root}
	entries, err := os.ReadDir("functions")
	if err != nil {
		return err
	}
	folders := []string{"floor"}
	for _, e := range entries {
		if e.IsDir() {
			folders = append(folders, e.Name())
		}
	}
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	env := []string{"AWS_REGION=us-east-1", "OHCS_DYNAMODB_ENDPOINT=http://127.0.0.1:9", "OHCS_CURSOR_KEY=" + key, "OHCS_LOG_LEVEL=error"}
	medians := map[string]time.Duration{}
	for _, f := range folders {
		bootstrap := func(ctx context.Context, folder string) (string, error) {
			if folder == "floor" {
				return floor, nil
			}
			return builder.Bootstrap(ctx, folder)
		}
		var inits []time.Duration
		for range runs {
			iv := &lambdamode.Invoker{RIE: rie, Folders: map[string]string{"op": f}, Env: env, PoolSize: 1, Bootstrap: bootstrap}
			// Any event: the init phase runs before the handler sees it.
			// (the floor answers null, not a proxy response: its error is
			// expected).
			_, _ = iv.Invoke(ctx, "op", events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/"})
			deadline := time.Now().Add(2 * time.Second)
			for len(iv.Inits()) == 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			for _, in := range iv.Inits() {
				inits = append(inits, in.Duration)
			}
			iv.Close()
		}
		if len(inits) == 0 {
			return fmt.Errorf("%s: no INIT REPORT", f)
		}
		slices.Sort(inits)
		medians[f] = inits[len(inits)/2]
		fmt.Fprintf(os.Stderr, "%s %v\n", f, medians[f])
	}
	fl := medians["floor"]
	over := 0
	var rows []string
	for _, f := range folders[1:] {
		ratio := float64(medians[f]) / float64(fl)
		if ratio > 1.5 {
			over++
		}
		rows = append(rows, fmt.Sprintf("| %s | %.1f | %.1f |", f, float64(medians[f].Microseconds())/1000, ratio))
	}
	fmt.Println()
	fmt.Println("## Cold starts")
	fmt.Println()
	fmt.Printf("Median `INIT REPORT` duration of %d fresh starts of each function under the Lambda runtime interface\n", runs)
	fmt.Printf("emulator on this machine (built for it with the deployment's flags), beside the minimal Go function's\n")
	fmt.Printf("%.1f ms. The target is at most 1.5 times the floor: %d of %d functions are over it.\n", float64(fl.Microseconds())/1000, over, len(folders)-1)
	fmt.Println()
	fmt.Println("| function | init ms | times the floor |")
	fmt.Println("|---|---:|---:|")
	fmt.Println(strings.Join(rows, "\n"))
	return nil
}
