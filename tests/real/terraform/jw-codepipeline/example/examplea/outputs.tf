output "pipeline" {
  value = module.codepipeline
}
