"""Generate src/kubectl/explain_schema.txt, the API documentation `kubectl explain` prints, from
the k8s-openapi crate (feature v1_36): its schemars JSON schemas carry the OpenAPI v3 descriptions,
types and required fields of every API type. Run from the repository root:

    python3 src/kubectl/explain_schema.py ~/.cargo/registry/src/*/k8s-openapi-0.29.0/src/v1_36 src/kubectl/explain_schema.txt

Format, one line each, tab-separated: `T NAME REQUIRED TYPE GROUP/VERSION/KIND DESCRIPTION` for a type,
then `F FIELD TYPE DESCRIPTION` for each of its fields; TYPE is `string`, `integer`, `@NAME` (a
reference), `[]TYPE`, `map[string]TYPE`; descriptions escape `\\`, newlines and tabs.
"""
import json
import os
import re
import sys

ROOT = sys.argv[1]
OUT = sys.argv[2]

# The kinds whose documentation podlab carries (the kinds it models, as group/version/kind), and
# every type they reach. Other kinds would add to the page's size for little use.
ROOTS = {
    ('', 'v1', k) for k in [
        'Namespace', 'Node', 'Pod', 'Service', 'Endpoints', 'ConfigMap', 'Secret',
        'ServiceAccount', 'Event', 'PersistentVolume', 'PersistentVolumeClaim']
} | {
    ('apps', 'v1', k) for k in ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet']
} | {
    ('batch', 'v1', 'Job'), ('batch', 'v1', 'CronJob'),
    ('discovery.k8s.io', 'v1', 'EndpointSlice'), ('networking.k8s.io', 'v1', 'Ingress'),
    ('scheduling.k8s.io', 'v1', 'PriorityClass'), ('storage.k8s.io', 'v1', 'StorageClass'),
    ('coordination.k8s.io', 'v1', 'Lease'),
} | {
    ('rbac.authorization.k8s.io', 'v1', k)
    for k in ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']
}


def rust_path(file_path):
    rel = os.path.relpath(file_path, ROOT)
    parts = rel[:-3].split(os.sep)
    return parts


def find_block(text, start):
    """The text of the balanced parenthesised block starting at text[start] == '('."""
    depth = 0
    i = start
    in_str = False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == '\\':
                i += 2
                continue
            if c == '"':
                in_str = False
        else:
            if c == '"':
                in_str = True
            elif c in '({[':
                depth += 1
            elif c in ')}]':
                depth -= 1
                if depth == 0:
                    return text[start:i + 1]
        i += 1
    raise ValueError('unbalanced')


REF_WITH_DESC = re.compile(
    r'\(\{\s*let mut schema_obj = __gen\.subschema_for::<([^>]+)>\(\);\s*'
    r'schema_obj\.ensure_object\(\)\.insert\("description"\.into\(\), ("(?:[^"\\]|\\.)*")\.into\(\)\);\s*'
    r'schema_obj\s*\}\)', re.S)
REF = re.compile(r'\(?__gen\.subschema_for::<([^>]+)>\(\)\)?')


def to_json(block):
    inner = block[1:-1].strip()
    inner = REF_WITH_DESC.sub(lambda m: '{"$ref": "%s", "description": %s}' % (m.group(1), m.group(2)), inner)
    inner = REF.sub(lambda m: '{"$ref": "%s"}' % m.group(1), inner)
    inner = re.sub(r',(\s*[}\]])', r'\1', inner)
    inner = re.sub(r'\\u\{([0-9a-fA-F]+)\}', lambda m: '\\u%04x' % int(m.group(1), 16), inner)
    return json.loads(inner)


def main():
    schemas = {}
    crate_to_name = {}
    gvks = {}
    for dirpath, _, files in os.walk(ROOT):
        for f in files:
            if not f.endswith('.rs') or f == 'mod.rs':
                continue
            path = os.path.join(dirpath, f)
            text = open(path, encoding='utf-8').read()
            m = re.search(r'impl crate::schemars::JsonSchema for (\w+)', text)
            if not m:
                continue
            struct = m.group(1)
            name = re.search(r'fn schema_name\(\)[^{]*\{\s*"([^"]+)"', text).group(1)
            mod_parts = rust_path(path)[:-1]
            crate_to_name['crate::' + '::'.join(mod_parts + [struct])] = name
            start = text.index('crate::schemars::json_schema!(') + len('crate::schemars::json_schema!')
            schemas[name] = (to_json(find_block(text, start)), '/'.join(mod_parts))
            k = re.search(r'const KIND: &\'static str = "([^"]+)";', text)
            g = re.search(r'const GROUP: &\'static str = "([^"]*)";', text)
            v = re.search(r'const VERSION: &\'static str = "([^"]+)";', text)
            if k and g and v and 'impl crate::Resource for' in text:
                gvks[name] = (g.group(1), v.group(1), k.group(1))

    def resolve(s):
        if '$ref' in s:
            s['$ref'] = crate_to_name.get(s['$ref'], s['$ref'])
        for key in ('items', 'additionalProperties'):
            if isinstance(s.get(key), dict):
                resolve(s[key])
        for p in s.get('properties', {}).values():
            resolve(p)

    for name, (s, _) in schemas.items():
        resolve(s)

    def type_of(s):
        if not isinstance(s, dict):
            return 'Object'
        if 'items' in s:
            return '[]' + type_of(s['items'])
        if isinstance(s.get('additionalProperties'), dict):
            return 'map[string]' + type_of(s['additionalProperties'])
        if '$ref' in s:
            return '@' + s['$ref']
        t = s.get('type', '')
        return t if t else 'Object'

    def esc(text):
        return text.replace('\\', '\\\\').replace('\n', '\\n').replace('\t', '\\t')

    # Keep the resources of GA group/versions and everything they reach.
    keep = set()
    todo = [n for n in schemas if gvks.get(n) in ROOTS]
    while todo:
        n = todo.pop()
        if n in keep or n not in schemas:
            continue
        keep.add(n)
        s = schemas[n][0]
        stack = [s]
        while stack:
            x = stack.pop()
            if not isinstance(x, dict):
                continue
            if '$ref' in x:
                todo.append(x['$ref'])
            for key in ('items', 'additionalProperties'):
                if isinstance(x.get(key), dict):
                    stack.append(x[key])
            stack.extend(x.get('properties', {}).values())

    lines = []
    for n in sorted(keep):
        s = schemas[n][0]
        required = list(s.get('required', []))
        gvk = gvks.get(n)
        if gvk:
            # k8s-openapi makes a resource's metadata required; the API's schema does not.
            required = [r for r in required if r != 'metadata']
        head = ['T', n, ','.join(required), 'object' if s.get('properties') else s.get('type', ''),
                '/'.join(gvk) if gvk else '', esc(s.get('description', ''))]
        lines.append('\t'.join(head))
        for field, fs in s.get('properties', {}).items():
            lines.append('\t'.join(['F', field, type_of(fs), esc(fs.get('description', ''))]))
    with open(OUT, 'w', encoding='utf-8') as out:
        out.write('\n'.join(lines) + '\n')
    print(len(keep), 'schemas', os.path.getsize(OUT), 'bytes')


main()
