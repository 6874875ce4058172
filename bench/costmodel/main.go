// Command costmodel prints the bill sections of bench/results.md: the
// monthly cost of a deployment that serves nobody (with and without the
// WAF web ACL, ohcs:waf), and of a clinic with 2,000 appointments a month
// and a national programme with 200,000, at AWS list prices.
//
// Its inputs are measured: the synthesized template (what is deployed:
// alarms, dashboards, keys, secrets, the web ACL's rules, the schedules)
// and the DynamoDB requests, levels and written items of each operation
// (TestRequestCeilings's table). Its assumptions are printed with it.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// List prices, us-east-1, on demand, without the 12-month free tier.
const (
	apiGatewayPerRequest = 3.50 / 1e6
	wafPerRequest        = 0.60 / 1e6
	wafPerACL            = 5.00
	wafPerRule           = 1.00
	lambdaPerRequest     = 0.20 / 1e6
	lambdaPerGBSecond    = 0.0000133334 // arm64
	readUnit             = 0.125 / 1e6
	writeUnit            = 0.625 / 1e6
	kmsPerKey            = 1.00
	secretPerMonth       = 0.40
	alarmPerMonth        = 0.10
	dashboardPerMonth    = 3.00
	logsPerGB            = 0.50
	snsPublish           = 0.50 / 1e6
	emailPerMessage      = 0.10 / 1000
	// SNS prices a text message by its destination country, from under
	// one cent to over ten; this is a middle figure.
	smsPerMessage = 0.03
	// Cognito's Essentials tier, the default of a new user pool.
	cognitoFreeMAU = 10000
	cognitoPerMAU  = 0.015
	memoryGB       = 0.128
)

// billedMS is the assumed billed duration of a call with levels round
// trips to DynamoDB: a few milliseconds of work and about 5 ms a level.
func billedMS(levels int) float64 { return 10 + 5*float64(levels) }

type op struct{ requests, levels, reads, written int }

func main() {
	ceilings := flag.String("ceilings", "", "TestRequestCeilings's table (OHCS_CEILINGS_OUT)")
	tpl := flag.String("template", "cdk.out/Ohcs.template.json", "the synthesized template")
	flag.Parse()
	ops, err := readCeilings(*ceilings)
	if err != nil {
		fail(err)
	}
	res, err := readTemplate(*tpl)
	if err != nil {
		fail(err)
	}
	idleWith, idleWithout := idle(res)
	fmt.Println()
	fmt.Println("## Idle cost")
	fmt.Println()
	fmt.Println("A deployment that serves nobody, per month at list prices, from the")
	fmt.Println("synthesized template. DynamoDB on demand, Lambda, API Gateway, SNS, SES,")
	fmt.Println("SQS and Cognito cost nothing idle; the tables' storage, point-in-time")
	fmt.Println("recovery and backups cost cents while they hold little. The outbox")
	fmt.Println("dispatcher runs every minute whether or not there is work.")
	fmt.Println()
	fmt.Println("| item | with WAF | without WAF (ohcs:waf=false) |")
	fmt.Println("|---|---:|---:|")
	for _, l := range res.lines {
		without := l.cost
		if l.waf {
			without = 0
		}
		fmt.Printf("| %s | %.2f | %.2f |\n", l.name, l.cost, without)
	}
	fmt.Printf("| **total** | **%.2f** | **%.2f** |\n", idleWith, idleWithout)
	fmt.Println()
	fmt.Println("CloudWatch's always-free allowance (10 alarms, 3 dashboards) covers the")
	fmt.Println("alarms and the dashboard of one deployment per account; without it the")
	fmt.Printf("total is as above, with it %.2f with WAF and %.2f without.\n", idleWith-res.freeable, idleWithout-res.freeable)

	perAppointment, mix := appointment(ops)
	fmt.Println()
	fmt.Println("## Monthly cost of a clinic and of a national programme")
	fmt.Println()
	fmt.Println("Each appointment is assumed to bring these calls (a search, slots,")
	fmt.Println("the booking, reads of it and of notices, the consultation and its")
	fmt.Println("record): " + mix + ". Per call: API Gateway, WAF when on, Lambda at")
	fmt.Println("128 MB billed 10 ms plus 5 ms per level of DynamoDB requests, and")
	fmt.Println("DynamoDB at one read unit per read request and two write units per item")
	fmt.Println("written (the transactional price: an upper bound), the requests and")
	fmt.Println("items measured by TestRequestCeilings. Each appointment also sends three")
	fmt.Println("notices through the outbox (booked, reminder, consultation), each an SNS")
	fmt.Println("publish and a delivery function call of 30 ms with 6 DynamoDB requests,")
	fmt.Printf("two of them as text messages at $%.2f each and three as e-mail. Sign-ins:\n", smsPerMessage)
	fmt.Println("three quarters of a user per appointment active in the month, on")
	fmt.Printf("Cognito's Essentials tier (%d free, then $%.3f each; the Lite tier is\n", cognitoFreeMAU, cognitoPerMAU)
	fmt.Println("cheaper and enough for this API's sign-in).")
	fmt.Println()
	fmt.Println("| deployment | appointments a month | API calls | calls and data | text messages | e-mail | sign-ins | idle | total with WAF | total without WAF |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, d := range []struct {
		name  string
		count float64
	}{{"a clinic", 2000}, {"a national programme", 200000}} {
		c := perAppointment.scaled(d.count)
		mau := math.Max(0, 0.75*d.count-cognitoFreeMAU) * cognitoPerMAU
		with := c.calls + c.waf + c.sms + c.email + mau + idleWith
		without := c.calls + c.sms + c.email + mau + idleWithout
		fmt.Printf("| %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n", d.name, d.count, c.apiCalls,
			c.calls, c.sms, c.email, mau, idleWith, with, without)
	}
	fmt.Println()
	fmt.Println("Text messages are most of the bill, and the price of a message depends")
	fmt.Println("on the country; the API itself (calls, data, idle) costs a clinic less")
	fmt.Println("than the idle cost again. A programme that sends notices by e-mail or in")
	fmt.Println("the app, and texts only reminders, halves its largest line; a national")
	fmt.Println("one on Cognito's Lite tier pays about a third for sign-ins.")
}

// cost is what a number of appointments costs, by part.
type cost struct {
	apiCalls, calls, waf, sms, email float64
}

func (c cost) scaled(n float64) cost {
	return cost{c.apiCalls * n, c.calls * n, c.waf * n, c.sms * n, c.email * n}
}

// callCost is one call of an operation, WAF apart.
func callCost(o op) float64 {
	lambda := lambdaPerRequest + memoryGB*billedMS(o.levels)/1000*lambdaPerGBSecond
	return apiGatewayPerRequest + lambda + float64(o.reads)*readUnit + float64(o.written)*2*writeUnit
}

// appointment is the cost of one appointment's calls and notices.
func appointment(ops map[string]op) (cost, string) {
	calls := map[string]float64{
		"findPractitioners": 1, "listAvailableSlots": 2, "makeAppointment": 1, "getAppointment": 2, "listAppointments": 1,
		"listMyNotifications": 2, "markNotificationRead": 1, "getMe": 1, "getBeneficiary": 1, "recordConsultation": 1,
		"updateAppointmentStatus": 1, "listHealthRecordEntries": 1, "addHealthRecordEntry": 1, "listConsultations": 1,
		"getConsultation": 1,
	}
	var names []string
	for n := range calls {
		names = append(names, n)
	}
	sort.Strings(names)
	var c cost
	var parts []string
	for _, n := range names {
		o, ok := ops[n]
		if !ok {
			fail(fmt.Errorf("no measured requests for %s", n))
		}
		c.apiCalls += calls[n]
		c.calls += calls[n] * callCost(o)
		c.waf += calls[n] * wafPerRequest
		parts = append(parts, fmt.Sprintf("%s ×%g", n, calls[n]))
	}
	// Three notices: an SNS publish each, a delivery call of 30 ms with 6
	// DynamoDB requests (4 reads, 2 items written).
	delivery := lambdaPerRequest + memoryGB*0.030*lambdaPerGBSecond + 4*readUnit + 2*2*writeUnit + snsPublish
	c.calls += 3 * delivery
	c.sms, c.email = 2*smsPerMessage, 3*emailPerMessage
	return c, strings.Join(parts, ", ")
}

// line is an idle cost; waf marks the web ACL's.
type line struct {
	name string
	cost float64
	waf  bool
}

type resources struct {
	lines    []line
	freeable float64 // what CloudWatch's always-free allowance covers
}

func idle(r resources) (with, without float64) {
	for _, l := range r.lines {
		with += l.cost
		if !l.waf {
			without += l.cost
		}
	}
	return with, without
}

func readTemplate(path string) (resources, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return resources{}, fmt.Errorf("read the template (make synth): %w", err)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string         `json:"Type"`
			Properties map[string]any `json:"Properties"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		return resources{}, err
	}
	count := map[string]int{}
	rules, perMinute := 0, 0
	for _, r := range tpl.Resources {
		count[r.Type]++
		if r.Type == "AWS::WAFv2::WebACL" {
			if rs, ok := r.Properties["Rules"].([]any); ok {
				rules += len(rs)
			}
		}
		if r.Type == "AWS::Events::Rule" && r.Properties["ScheduleExpression"] == "rate(1 minute)" {
			perMinute++
		}
	}
	var out resources
	add := func(name string, cost float64, waf bool) {
		if cost > 0 {
			out.lines = append(out.lines, line{name, cost, waf})
		}
	}
	add(fmt.Sprintf("WAF web ACL (%d) and its rules (%d)", count["AWS::WAFv2::WebACL"], rules),
		float64(count["AWS::WAFv2::WebACL"])*wafPerACL+float64(rules)*wafPerRule, true)
	add(fmt.Sprintf("KMS customer managed keys (%d)", count["AWS::KMS::Key"]), float64(count["AWS::KMS::Key"])*kmsPerKey, false)
	add(fmt.Sprintf("Secrets Manager secrets (%d)", count["AWS::SecretsManager::Secret"]), float64(count["AWS::SecretsManager::Secret"])*secretPerMonth, false)
	alarms := float64(count["AWS::CloudWatch::Alarm"]) * alarmPerMonth
	dashboards := float64(count["AWS::CloudWatch::Dashboard"]) * dashboardPerMonth
	add(fmt.Sprintf("CloudWatch alarms (%d)", count["AWS::CloudWatch::Alarm"]), alarms, false)
	add(fmt.Sprintf("CloudWatch dashboards (%d)", count["AWS::CloudWatch::Dashboard"]), dashboards, false)
	out.freeable = alarms + dashboards
	// A function run every minute: 43,800 calls a month, each 20 ms with
	// one Query and about 300 bytes of log.
	runs := float64(perMinute) * 43800
	add(fmt.Sprintf("functions run every minute (%d): calls, Query, logs", perMinute),
		runs*(lambdaPerRequest+memoryGB*0.020*lambdaPerGBSecond+readUnit)+runs*300/1e9*logsPerGB, false)
	return out, nil
}

// readCeilings reads TestRequestCeilings's table: operation, most
// requests, ceiling, most levels, level ceiling, their reads, items they
// wrote.
func readCeilings(path string) (map[string]op, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]op{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(strings.Trim(sc.Text(), "| "), "|")
		if len(cells) != 7 {
			continue
		}
		var n [6]int
		ok := true
		for i := range n {
			if n[i], err = strconv.Atoi(strings.TrimSpace(cells[i+1])); err != nil {
				ok = false
			}
		}
		if ok {
			out[strings.TrimSpace(cells[0])] = op{requests: n[0], levels: n[2], reads: n[4], written: n[5]}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no operation rows", path)
	}
	return out, sc.Err()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "costmodel:", err)
	os.Exit(1)
}
