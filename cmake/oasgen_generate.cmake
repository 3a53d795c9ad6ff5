# oasgen_generate()
