// Package dynamodblocal starts Amazon's DynamoDB Local, the emulator AWS
// ships, for the local server and the tests: the jar comes from the npm
// package the project pins (tools/package.json), and it needs Java 17.
package dynamodblocal

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Emulator is the folder of DynamoDBLocal.jar inside the project.
const Emulator = "tools/node_modules/amplify-dynamodb-simulator/emulator"

// Instance is a running DynamoDB Local.
type Instance struct {
	// Endpoint is its URL on the loopback interface.
	Endpoint string
	cmd      *exec.Cmd
}

// Start runs DynamoDB Local in memory on a free port. It listens on every
// interface (it has no host flag); the project only ever calls it at
// 127.0.0.1.
func Start(ctx context.Context) (*Instance, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, Emulator)
	if _, err := os.Stat(filepath.Join(dir, "DynamoDBLocal.jar")); err != nil {
		return nil, fmt.Errorf("dynamodb local: %w (npm ci --prefix tools installs it)", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("java", "-Djava.library.path="+filepath.Join(dir, "DynamoDBLocal_lib"), "-jar", filepath.Join(dir, "DynamoDBLocal.jar"),
		"-inMemory", "-port", fmt.Sprint(port))
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("dynamodb local needs Java 17: %w", err)
	}
	in := &Instance{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd}
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return in, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			in.Close()
			return nil, errors.New("dynamodb local did not start within 60 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Close stops the instance.
func (in *Instance) Close() {
	if in.cmd != nil && in.cmd.Process != nil {
		_ = in.cmd.Process.Kill()
		_ = in.cmd.Wait()
	}
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		return "", fmt.Errorf("dynamodb local: find the module: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}
