package main

import (
	"context"
	"fmt"

	wfv1 "github.com/argoproj/argo-workflows/v4/pkg/apis/workflow/v1alpha1"
	"github.com/argoproj/argo-workflows/v4/workflow/templateresolution"
)

// fileGetter serves the WorkflowTemplates read from the given files, in place of a cluster.
//
// A template without a namespace is found from every namespace: files rendered for
// `kubectl apply -n NS` or a kustomization carry none, and land wherever they are applied.
type fileGetter struct {
	byKey  map[string]*wfv1.WorkflowTemplate
	source map[string]string
}

func newFileGetter() *fileGetter {
	return &fileGetter{byKey: map[string]*wfv1.WorkflowTemplate{}, source: map[string]string{}}
}

func key(namespace, name string) string { return namespace + "/" + name }

// add records a template; it returns the file that already defined the same name, if any.
func (g *fileGetter) add(file string, tmpl *wfv1.WorkflowTemplate) string {
	k := key(tmpl.Namespace, tmpl.Name)
	if previous, ok := g.source[k]; ok {
		return previous
	}
	g.byKey[k] = tmpl
	g.source[k] = file
	return ""
}

func (g *fileGetter) in(namespace string) templateresolution.WorkflowTemplateNamespacedGetter {
	return namespacedGetter{g, namespace}
}

type namespacedGetter struct {
	files     *fileGetter
	namespace string
}

func (n namespacedGetter) Get(_ context.Context, name string) (*wfv1.WorkflowTemplate, error) {
	if tmpl, ok := n.files.byKey[key(n.namespace, name)]; ok {
		return tmpl, nil
	}
	if tmpl, ok := n.files.byKey[key("", name)]; ok {
		return tmpl, nil
	}
	return nil, fmt.Errorf("couldn't find workflow template %q in namespace %q (not in the given files)", name, n.namespace)
}

// nullClusterGetter: perfbot uses no ClusterWorkflowTemplates, so any reference to one is an error.
type nullClusterGetter struct{}

func (nullClusterGetter) Get(_ context.Context, name string) (*wfv1.ClusterWorkflowTemplate, error) {
	return nil, fmt.Errorf("couldn't find cluster workflow template %q (none are given)", name)
}
