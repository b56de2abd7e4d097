package catalog

import "reflect"

// clone returns a deep copy of p: every slice, map and pointer reachable
// through exported fields is new, strings and unexported fields are shared
// (strings cannot change; unexported fields are not read from the stored
// document). It is by reflection so that it follows Procedure as it
// grows. Copying a decoded procedure costs a fraction of decoding its
// JSON again, which was a tenth of a stage worker's CPU (#18).
func clone(p *Procedure) *Procedure {
	return deepCopy(reflect.ValueOf(p)).Interface().(*Procedure)
}

func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(deepCopy(v.Elem()))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		if deep(v.Type().Elem()) {
			for i := range v.Len() {
				n.Index(i).Set(deepCopy(v.Index(i)))
			}
		} else {
			reflect.Copy(n, v)
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		it := v.MapRange()
		for it.Next() {
			n.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return n
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		n.Set(deepCopy(v.Elem()))
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v)
		for i := range v.NumField() {
			if f := n.Field(i); f.CanSet() && deep(f.Type()) {
				f.Set(deepCopy(v.Field(i)))
			}
		}
		return n
	case reflect.Array:
		if !deep(v.Type().Elem()) {
			return v
		}
		n := reflect.New(v.Type()).Elem()
		for i := range v.Len() {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	}
	return v
}

// deep reports whether values of t can hold something shared that a
// caller could change in place.
func deep(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && deep(f.Type) {
				return true
			}
		}
	case reflect.Array:
		return deep(t.Elem())
	}
	return false
}
