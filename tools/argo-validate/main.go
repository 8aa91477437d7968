// Command argo-validate runs Argo Workflows' own validation (the package workflow/validate, the
// code behind `argo lint --offline`, the Argo Server and the controller) on WorkflowTemplates
// and Workflows read from files, with no cluster.
//
// JSON schema checks catch structure; only Argo's code knows what its controller refuses at
// submission: DAG dependencies that do not exist or form a cycle, template references that do
// not resolve, {{...}} variables it cannot resolve, names that are too long. Workflows are
// resolved against the WorkflowTemplates among the given files, like the offline argo CLI.
//
// Usage: argo-validate FILE...
//
// Every problem is one line on stdout, "FILE: KIND NAME: ARGO'S MESSAGE"; a summary goes to
// stderr. Exit 0: no problem; 1: at least one problem; 2: bad usage.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	wfv1 "github.com/argoproj/argo-workflows/v4/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v4/util/logging"
	"github.com/argoproj/argo-workflows/v4/workflow/common"
	"github.com/argoproj/argo-workflows/v4/workflow/validate"
)

const (
	argoModule = "github.com/argoproj/argo-workflows/v4"
	exitOK     = 0
	exitFound  = 1
	exitUsage  = 2
	usage      = "usage: argo-validate FILE... (YAML or JSON WorkflowTemplates and Workflows)"
)

// problem is one refusal: which file, which object, and Argo's message verbatim.
type problem struct {
	file, object, message string
}

func (p problem) String() string {
	return fmt.Sprintf("%s: %s: %s", p.file, p.object, strings.Join(strings.Fields(p.message), " "))
}

type workflowTemplate struct {
	file string
	tmpl *wfv1.WorkflowTemplate
}

type workflow struct {
	file string
	wf   *wfv1.Workflow
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, usage)
		return exitUsage
	}
	// Argo logs through a logger it requires in the context; only its errors are of interest.
	ctx := logging.WithLogger(context.Background(), logging.NewSlogLoggerCustom(logging.Error, logging.Text, stderr))

	var problems []problem
	getter := newFileGetter()
	var templates []workflowTemplate
	var workflows []workflow
	for _, path := range args {
		data, err := os.ReadFile(path)
		if err != nil {
			problems = append(problems, problem{path, "file", err.Error()})
			continue
		}
		found := 0
		for i, parsed := range common.ParseObjects(ctx, data, true) {
			// Strict parsing: a field Argo does not know (a misspelling) is a problem, as in
			// `argo lint`; such an object still resolves references but is not validated.
			switch obj := parsed.Object.(type) {
			case *wfv1.WorkflowTemplate:
				found++
				name := objectName("WorkflowTemplate", obj.Name)
				if previous := getter.add(path, obj); previous != "" {
					problems = append(problems, problem{path, name, "also defined in " + previous})
				} else if parsed.Err != nil {
					problems = append(problems, problem{path, name, parsed.Err.Error()})
				} else {
					templates = append(templates, workflowTemplate{path, obj})
				}
			case *wfv1.Workflow:
				found++
				if parsed.Err != nil {
					problems = append(problems, problem{path, objectName("Workflow", obj.Name+obj.GenerateName), parsed.Err.Error()})
				} else {
					workflows = append(workflows, workflow{path, obj})
				}
			default:
				if parsed.Object == nil && parsed.Err != nil { // a Kubernetes object that is not YAML
					found++
					problems = append(problems, problem{path, fmt.Sprintf("document #%d", i+1), parsed.Err.Error()})
				}
				// other kinds (a Kustomization, a ConfigMap) are not Argo's to judge
			}
		}
		if found == 0 {
			problems = append(problems, problem{path, "file", "no WorkflowTemplate or Workflow in it"})
		}
	}

	for _, t := range templates {
		name := objectName("WorkflowTemplate", t.tmpl.Name)
		// As `argo lint` checks a template, then as the Argo Server does when one is created.
		for _, check := range []struct {
			who  string
			opts validate.ValidateOpts
		}{{"lint", validate.ValidateOpts{Lint: true}}, {"create", validate.ValidateOpts{}}} {
			err := validate.ValidateWorkflowTemplate(ctx, getter.in(t.tmpl.Namespace), nullClusterGetter{}, t.tmpl.DeepCopy(), nil, check.opts)
			if err != nil {
				problems = append(problems, problem{t.file, name + " (" + check.who + ")", err.Error()})
				break
			}
		}
	}
	for _, w := range workflows {
		name := objectName("Workflow", w.wf.Name+w.wf.GenerateName)
		// As the Argo Server checks a submission, then as the controller checks the new run.
		for _, check := range []struct {
			who  string
			opts validate.ValidateOpts
		}{{"submit", validate.ValidateOpts{Submit: true}}, {"controller", validate.ValidateOpts{}}} {
			err := validate.ValidateWorkflow(ctx, getter.in(w.wf.Namespace), nullClusterGetter{}, w.wf.DeepCopy(), nil, check.opts)
			if err != nil {
				problems = append(problems, problem{w.file, name + " (" + check.who + ")", err.Error()})
				break
			}
		}
	}

	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	fmt.Fprintf(stderr, "argo-validate: %d WorkflowTemplates, %d Workflows, %d problems (Argo %s)\n",
		len(templates), len(workflows), len(problems), argoVersion())
	if len(problems) > 0 {
		return exitFound
	}
	return exitOK
}

func objectName(kind, name string) string {
	if name == "" {
		name = "(unnamed)"
	}
	return fmt.Sprintf("%s %s", kind, name)
}

// argoVersion is the Argo module this binary was built with, so a report names its judge.
func argoVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == argoModule {
				return dep.Version
			}
		}
	}
	return "(unknown version)"
}
