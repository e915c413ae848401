public enum EnvsTestingPlaceholder {}
